using Microsoft.Data.Sqlite;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Demo;

/// <summary>
/// Runs the demo: the real <see cref="ResilienceEngine"/>, with circuits, budgets and persisted learning, serving one
/// operation from four simulated providers; in real time with a live view, or in virtual time (<c>--virtual-time</c>), where
/// the providers and the engine share one <see cref="VirtualClock"/> driven by a <see cref="DiscreteEventLoop"/> and the
/// same seed gives the same figures.
/// </summary>
internal sealed class DemoRunner(CliContext context, DemoSettings settings)
{
    /// <summary>How long a caller waits before calling again after a call that could not even try a strategy (all skipped).</summary>
    private static readonly TimeSpan IdleCallPause = TimeSpan.FromMilliseconds(10);

    /// <summary>Runs until the duration is over or <paramref name="cancellationToken"/> fires (Ctrl+C); either way it reports.</summary>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        // Only the calls listen to Ctrl+C: setup and the report always complete, so an interrupted run still reports.
        var db = DatabasePath.ForWriting(settings.Database);
        if (settings.Fresh)
        {
            DeleteDatabase(db);
        }

        var previous = File.Exists(db) ? await DemoHistory.LoadLastAsync(db, CancellationToken.None) : null;
        var clock = settings.VirtualTime ? new VirtualClock(VirtualStart(previous)) : null;
        var time = (TimeProvider?)clock ?? TimeProvider.System;

        await using var analyzer = new FailureAnalyzer(new FailureAnalyzerOptions(), enablePersistence: true, dbPath: db, timeProvider: time);
        await using var circuitStore = new SqliteCircuitStateStore(db);
        var registry = new CircuitBreakerRegistry(store: circuitStore, timeProvider: time);
        await using var _ = registry;
        var options = EngineOptions();
        var circuitsRestored = await registry.RestoreAsync(CancellationToken.None);
        var restoredNames = circuitsRestored == 0
            ? []
            : (await circuitStore.LoadAllAsync(CancellationToken.None)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        // A restored snapshot is applied when its circuit is created, and the engine creates circuits on first use: until then the
        // registry lists none, so a circuit restored open read as closed. Creating them now (with the engine's options; the engine
        // then finds them) shows them as restored.
        foreach (var p in DemoScenario.Providers)
        {
            registry.GetOrCreate(DemoScenario.CircuitName(p.Name), options.CircuitBreaker);
        }

        await analyzer.EnsureLoadedAsync(CancellationToken.None); // what is read below comes from memory: wait for the previous runs' to be loaded
        var failuresBefore = (await analyzer.GetAnalyticsAsync(CancellationToken.None)).TotalFailures;
        var prior = await DemoReports.DescribePriorAsync(analyzer, registry, circuitsRestored, restoredNames, failuresBefore, previous, time);

        await using var engine = DemoEngine.Create(options, analyzer, time, registry, new DemoRandom(DemoScenario.JitterSeed(settings.Seed)).NextDouble);
        await engine.EnsureStartedAsync(CancellationToken.None);

        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        double Progress() => Math.Min(1.0, time.GetElapsedTime(started).TotalSeconds / settings.Duration.TotalSeconds);
        var providers = DemoScenario.Providers.Select((p, i) => new SimulatedProvider(p, DemoScenario.ProviderSeed(settings.Seed, i), time, Progress)).ToList();
        var callers = new Callers(engine, [.. providers.Select(p => p.Strategy)], new DemoStats(DemoScenario.Providers.Select(p => p.Name)), Progress, time, settings);

        if (clock is not null)
        {
            var horizon = startedAt + settings.Duration + options.MaxTotalTime + TimeSpan.FromMinutes(1);
            await DiscreteEventLoop.RunAsync(clock, horizon, loop => callers.RunAsync(loop.Post, cancellationToken));
        }
        else
        {
            var all = callers.RunAsync(post: null, cancellationToken);
            if (context.Console.Profile.Capabilities.Interactive)
            {
                await ShowLiveAsync(all, callers.Stats, registry, Progress);
            }

            await all;
        }

        var finishedAt = time.GetUtcNow();
        await analyzer.FlushAsync(CancellationToken.None);
        await registry.FlushAsync();
        var report = await DemoReports.AssembleAsync(new DemoReports.Inputs(
            settings, analyzer, registry, callers.Stats.Snapshot(), providers, prior, failuresBefore, startedAt, finishedAt,
            Interrupted: cancellationToken.IsCancellationRequested));
        await DemoHistory.SaveAsync(db, report, CancellationToken.None);
        return report;
    }

    internal static ResilienceOptions EngineOptions() => new()
    {
        MaxAttempts = 2,
        InitialDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromSeconds(1),
        StrategyTimeout = TimeSpan.FromSeconds(1),
        MaxTotalTime = TimeSpan.FromSeconds(3),
        MaxTotalAttempts = 8,
        MaxApiCost = 0.05m,
        MaxParallelStrategies = 2,
        EnableProgressTracking = false,
        CircuitBreaker = new CircuitBreakerOptions
        {
            FailureThreshold = 4,
            Cooldown = TimeSpan.FromSeconds(2),
            HalfOpenMaxCalls = 1,
            SuccessThreshold = 1,
            ShouldHandle = ErrorClassifier.IsTransient,
        },
    };

    /// <summary>
    /// Where a virtual-time run starts: a second after the previous run in this database ended, so runs form one timeline and a
    /// series of runs repeats exactly; the first starts at the context's clock (now).
    /// </summary>
    private DateTimeOffset VirtualStart(PreviousRun? previous) =>
        previous is null ? context.TimeProvider.GetUtcNow() : previous.FinishedAt + DemoSettings.VirtualGap;

    private async Task ShowLiveAsync(Task work, DemoStats stats, CircuitBreakerRegistry registry, Func<double> progress)
    {
        await context.Console.Live(LiveView(stats.Snapshot(), registry, progress())).StartAsync(async live =>
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System));
                live.UpdateTarget(LiveView(stats.Snapshot(), registry, progress()));
            }
        });
    }

    private Rows LiveView(DemoTotals t, CircuitBreakerRegistry registry, double progress)
    {
        const int width = 40;
        var filled = (int)Math.Round(progress * width);
        var bar = new string('█', filled) + new string('░', width - filled);
        var header = new Markup(
            $"[bold]{DemoScenario.Operation}[/] {DemoHistory.ModeName(settings.Mode)}  {bar} {progress * settings.Duration.TotalSeconds:0.0}s / {settings.Duration.TotalSeconds:0}s\n" +
            $"calls [bold]{t.Calls}[/]  [green]succeeded {t.Succeeded}[/]  [red]failed {t.Failed}[/]  wasted attempts {t.FailedAttempts}  circuit-saved calls {t.CallsWithCircuitSkip}");

        var table = new Table().AddColumns("Strategy", "Wins", "Circuit");
        var circuits = registry.GetAllStatus().ToDictionary(c => c.Name, c => c.State, StringComparer.Ordinal);
        foreach (var s in t.Strategies)
        {
            var state = circuits.TryGetValue(DemoScenario.CircuitName(s.Strategy), out var c) ? c : CircuitState.Closed;
            table.AddRow(s.Strategy, s.Wins.ToString(System.Globalization.CultureInfo.InvariantCulture), DemoRenderer.StateMarkup(state));
        }

        return new Rows(header, table);
    }

    private static void DeleteDatabase(string db)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>The concurrent callers: each calls the engine again and again until the run's time is up or Ctrl+C.</summary>
    /// <remarks>
    /// Every await continues where the awaited work completed (<c>ConfigureAwait(false)</c>): in virtual time that is the
    /// pump, which is what keeps a run deterministic (see <see cref="DiscreteEventLoop"/>).
    /// </remarks>
    private sealed class Callers(ResilienceEngine engine, Strategy<string>[] strategies, DemoStats stats, Func<double> progress, TimeProvider time, DemoSettings settings)
    {
        public DemoStats Stats => stats;

        /// <summary>Runs the callers; <paramref name="post"/>, in virtual time, brings Ctrl+C onto the pump.</summary>
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
            // A call in flight at Ctrl+C is not counted.
            while (progress() < 1.0 && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var result = await engine.ExecuteWithAlternativesAsync(strategies, DemoScenario.Operation, settings.Mode, cancellationToken).ConfigureAwait(false);
                    stats.Add(result);
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
}
