using Microsoft.Data.Sqlite;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Demo;

/// <summary>
/// Runs the demo: the real <see cref="ResilienceEngine"/>, with circuits, budgets and persisted learning, serving one
/// operation from four simulated providers, with a live view while it runs.
/// </summary>
internal sealed class DemoRunner(CliContext context, DemoSettings settings)
{
    // The demo simulates real services in real time, whatever clock the context carries.
    private readonly TimeProvider _time = TimeProvider.System;

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

        await using var analyzer = new FailureAnalyzer(new FailureAnalyzerOptions(), enablePersistence: true, dbPath: db, timeProvider: _time);
        await using var circuitStore = new SqliteCircuitStateStore(db);
        var registry = new CircuitBreakerRegistry(store: circuitStore, timeProvider: _time);
        await using var _ = registry;
        var circuitsRestored = await registry.RestoreAsync(CancellationToken.None);
        var prior = await DescribePriorAsync(analyzer, circuitsRestored, previous, CancellationToken.None);

        await using var engine = new ResilienceEngine(EngineOptions(), analyzer, _time, loggerFactory: null, registry);
        var random = new DemoRandom(settings.Seed);
        var started = _time.GetTimestamp();
        double Progress() => Math.Min(1.0, _time.GetElapsedTime(started).TotalSeconds / settings.Duration.TotalSeconds);

        var providers = DemoScenario.Providers.Select(p => new SimulatedProvider(p, random, _time, Progress)).ToList();
        try
        {
            var strategies = providers
                .Select(p => new Strategy<string>(p.Profile.Name, p.CallAsync, p.Profile.Priority, p.Profile.Description) { Cost = p.Profile.Cost })
                .ToArray();
            var stats = new DemoStats();
            var workers = Enumerable.Range(0, settings.Concurrency)
                .Select(_ => WorkAsync(engine, strategies, stats, Progress, cancellationToken))
                .ToArray();
            var all = Task.WhenAll(workers);

            if (context.Console.Profile.Capabilities.Interactive)
            {
                await ShowLiveAsync(all, stats, registry, Progress);
            }

            await all;

            await analyzer.FlushAsync(CancellationToken.None);
            await registry.FlushAsync();
            var analysis = analyzer.AnalyzePattern(DemoScenario.Operation);
            var totals = stats.Snapshot();
            var report = new DemoReport
            {
                Seed = settings.Seed,
                Parallel = settings.Parallel,
                Concurrency = settings.Concurrency,
                RequestedSeconds = settings.Duration.TotalSeconds,
                ElapsedSeconds = Math.Round(_time.GetElapsedTime(started).TotalSeconds, 2),
                Interrupted = cancellationToken.IsCancellationRequested,
                Totals = totals,
                StartedFrom = prior,
                Pattern = analysis.Pattern,
                RootCause = analysis.RootCause,
                Recommendations = analysis.Recommendations,
                Blacklist = await analyzer.GetBlacklistAsync(CancellationToken.None),
                Statistics = [.. DemoScenario.Providers.Select(p => analyzer.GetStrategyStatistics(p.Name, DemoScenario.Operation))],
                Circuits = [.. registry.GetAllStatus().OrderBy(c => c.Name, StringComparer.Ordinal)],
            };

            await DemoHistory.SaveAsync(db, _time.GetUtcNow(), settings.Seed, settings.Parallel, totals, CancellationToken.None);
            return report;
        }
        finally
        {
            providers.ForEach(p => p.Dispose());
        }
    }

    private static ResilienceOptions EngineOptions() => new()
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

    private async Task WorkAsync(ResilienceEngine engine, Strategy<string>[] strategies, DemoStats stats, Func<double> progress, CancellationToken cancellationToken)
    {
        // Each caller keeps calling until the time is up or Ctrl+C; a call in flight at Ctrl+C is not counted.
        await Task.Yield();
        while (progress() < 1.0 && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                var result = await engine.ExecuteWithAlternativesAsync(strategies, DemoScenario.Operation, settings.Parallel, cancellationToken);
                stats.Add(result);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task ShowLiveAsync(Task work, DemoStats stats, CircuitBreakerRegistry registry, Func<double> progress)
    {
        await context.Console.Live(LiveView(stats.Snapshot(), registry, progress())).StartAsync(async live =>
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(200), _time));
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
            $"[bold]{DemoScenario.Operation}[/] {(settings.Parallel ? "parallel race" : "sequential")}  {bar} {progress * settings.Duration.TotalSeconds:0.0}s / {settings.Duration.TotalSeconds:0}s\n" +
            $"calls [bold]{t.Calls}[/]  [green]succeeded {t.Succeeded}[/]  [red]failed {t.Failed}[/]  wasted attempts {t.FailedAttempts}  circuit-saved calls {t.CircuitSkips}");

        var table = new Table().AddColumns("Strategy", "Wins", "Circuit");
        var circuits = registry.GetAllStatus().ToDictionary(c => c.Name, c => c.State, StringComparer.Ordinal);
        foreach (var p in DemoScenario.Providers)
        {
            var state = circuits.TryGetValue($"{DemoScenario.Operation}/{p.Name}", out var s) ? s : CircuitState.Closed;
            table.AddRow(p.Name, t.Wins.GetValueOrDefault(p.Name).ToString(System.Globalization.CultureInfo.InvariantCulture), DemoRenderer.StateMarkup(state));
        }

        return new Rows(header, table);
    }

    private static async Task<PriorLearning?> DescribePriorAsync(FailureAnalyzer analyzer, int circuitsRestored, PreviousRun? previous, CancellationToken ct)
    {
        await analyzer.EnsureLoadedAsync(ct); // the statistics read below come from memory: wait for the previous runs' to be loaded
        var analytics = await analyzer.Store.GetFailureAnalyticsAsync(ct);
        var withStats = DemoScenario.Providers.Count(p => analyzer.GetStrategyStatistics(p.Name, DemoScenario.Operation).Attempts > 0);
        var blacklisted = (await analyzer.GetBlacklistAsync(ct)).Select(e => e.StrategyName).ToList();
        if (analytics.TotalFailures == 0 && withStats == 0 && blacklisted.Count == 0 && circuitsRestored == 0)
        {
            return null;
        }

        return new PriorLearning(analytics.TotalFailures, withStats, blacklisted, circuitsRestored, previous);
    }

    private static void DeleteDatabase(string db)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(file);
        }
    }
}
