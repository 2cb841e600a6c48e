namespace Steadfast;

/// <summary>
/// Runs one strategy until it succeeds or is done: attempt after attempt through the <see cref="AttemptExecutor"/>, at most
/// <see cref="ResilienceOptions.MaxAttempts"/>, waiting before each retry the delay <see cref="RetrySchedule"/> gives (the larger of
/// the backoff and the failure's retry-after hint, never more than <see cref="ResilienceOptions.MaxDelay"/>).
/// </summary>
/// <remarks>
/// The per-strategy loop is the one place that decides when a strategy goes again. A schedule across strategies (run whichever
/// strategy is ready, wait only for the earliest one) replaces this class and keeps its per-strategy state in <see cref="StrategyRun"/>.
/// </remarks>
internal sealed class StrategyRunner(AttemptExecutor executor, EngineCircuits circuits, RetrySchedule schedule, ExecutionBudget budget, TimeProvider time)
{
    /// <summary>Runs <paramref name="slot"/> within <paramref name="token"/>; never throws. On success returns its value.</summary>
    public async ValueTask<(bool Ok, T? Value)> RunAsync<T>(ResilienceResult<T> exec, StrategySlot<T> slot, Racer? racer, CancellationToken token)
    {
        var circuit = circuits.Get(exec.OperationName, slot.Name);
        exec.Ledger.RunOf(racer) = default;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var result = await executor.RunAsync(exec, slot, circuit, racer, token).ConfigureAwait(false);
                if (result.Verdict == AttemptVerdict.Succeeded)
                {
                    return (true, result.Value);
                }

                if (result.Verdict != AttemptVerdict.FailedMayRetry || attempt >= budget.AttemptsPerStrategy || token.IsCancellationRequested)
                {
                    return (false, default);
                }

                var delay = schedule.GetDelay(attempt - 1, result.Error, out _);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The deadline, the caller or the race ended a wait between attempts; the result says which.
            return (false, default);
        }
    }
}
