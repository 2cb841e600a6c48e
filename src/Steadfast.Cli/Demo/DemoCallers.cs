namespace Steadfast.Cli.Demo;

/// <summary>The demo's concurrent callers: each calls the engine again and again until the run's time is up or Ctrl+C.</summary>
/// <remarks>
/// Every await continues where the awaited work completed (<c>ConfigureAwait(false)</c>): in virtual time that is the
/// pump, which is what keeps a run deterministic (see <see cref="Infrastructure.DiscreteEventLoop"/>).
/// </remarks>
internal sealed class DemoCallers(ResilienceEngine engine, Strategy<string>[] strategies, DemoStats stats, Func<double> progress, TimeProvider time, DemoSettings settings)
{
    /// <summary>How long a caller waits before calling again after a call that could not even try a strategy (all skipped).</summary>
    private static readonly TimeSpan IdleCallPause = TimeSpan.FromMilliseconds(10);

    public DemoStats Stats => stats;

    /// <summary>Called after each call is counted, with the figures so far (in virtual time on the pump); a seam for tests.</summary>
    public Action<DemoTotals>? CallCounted { get; init; }

    /// <summary>Runs the callers; <paramref name="post"/>, in virtual time, brings Ctrl+C onto the pump between two steps.</summary>
    public async Task<bool> RunAsync(Action<Action>? post, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();
        await using var link = cancellationToken.Register(() =>
        {
            if (post is null)
            {
                stop.Cancel();
            }
            else
            {
                post(stop.Cancel);
            }
        });
        var token = stop.Token;
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(_ => CallAsync(token))).ConfigureAwait(false);
        return true;
    }

    private async Task CallAsync(CancellationToken cancellationToken)
    {
        // A call in flight at Ctrl+C is not counted: the engine ends it with OperationCanceledException.
        while (progress() < 1.0 && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                var result = await engine.ExecuteWithAlternativesAsync(strategies, DemoScenario.Operation, settings.Mode, cancellationToken).ConfigureAwait(false);
                stats.Add(result);
                CallCounted?.Invoke(stats.Snapshot());
                if (result.Attempts.All(a => a.Skipped))
                {
                    // Nothing was tried (every strategy skipped): without a pause the caller would spin, and virtual time would stand still.
                    await Task.Delay(IdleCallPause, time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
