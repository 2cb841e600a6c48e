using Steadfast.Cli.Demo.Health;
using Steadfast.Cli.Demo.Storage;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Demo;

/// <summary>
/// Runs the demo: the real <see cref="ResilienceEngine"/>, with circuits, budgets and persisted learning, serving one
/// operation from four simulated providers; in real time with a live view, or in virtual time (<c>--virtual-time</c>), where
/// the providers and the engine share one <see cref="VirtualClock"/> driven by a <see cref="DiscreteEventLoop"/> and the
/// same seed gives the same figures.
/// </summary>
/// <remarks>
/// The database at --db must be Steadfast's (or new): anything else is refused before a byte is written. A store that fails
/// (a full disk, a file turned read-only) never costs the run: the engine learns on in memory, the run says "persistence
/// degraded" once, and the report is printed in full.
/// </remarks>
/// <param name="context">Where to write, and the command's clock.</param>
/// <param name="settings">What the command line asked for.</param>
/// <param name="openStores">Opens the stores on --db; SQLite unless a test puts a failing disk here.</param>
internal sealed class DemoRunner(CliContext context, DemoSettings settings, DemoStoreFactory? openStores = null)
{
    /// <summary>Called after each call is counted; a seam for tests (for example to press Ctrl+C after N calls).</summary>
    public Action<DemoTotals>? CallCounted { get; init; }

    /// <summary>Called with the dashboard's address once it is served (<c>--dashboard</c>).</summary>
    public Action<Uri>? DashboardStarted { get; init; }

    /// <summary>Called once everything is set up, just before the first call (a refused --db never gets here).</summary>
    public Action? Starting { get; init; }

    /// <summary>Runs until the duration is over or <paramref name="cancellationToken"/> fires (Ctrl+C); either way it reports.</summary>
    /// <exception cref="CliException">--db is not a Steadfast database (nothing was written to it).</exception>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        // Only the calls listen to Ctrl+C: setup and the report always complete, so an interrupted run still reports.
        var db = DatabasePath.ForWriting(settings.Database);
        var deleted = settings.Fresh ? await FreshStart.DeleteAsync(db, settings.Database) : null;

        var persistence = new PersistenceWatch(reason => Warn($"warning: persistence degraded: {reason} The demo goes on in memory."));
        await using var stores = (openStores ?? DemoStores.Sqlite)(db, context.TimeProvider).WatchedBy(persistence);
        await VerifyOwnershipAsync(stores, persistence);

        var previous = persistence.Degraded ? null : await GuardedAsync(() => DemoHistory.LoadLastAsync(db, CancellationToken.None), persistence);
        var clock = settings.VirtualTime ? new VirtualClock(VirtualStart(previous)) : null;
        var time = (TimeProvider?)clock ?? TimeProvider.System;

        await using var analyzer = new FailureAnalyzer(stores.Failures, new FailureAnalyzerOptions(), time);
        var registry = new CircuitBreakerRegistry(store: stores.Circuits, timeProvider: time);
        await using var _ = registry;
        var options = EngineOptions();
        var circuitsRestored = await registry.RestoreAsync(CancellationToken.None);
        var restored = circuitsRestored == 0 ? null : await GuardedAsync(() => stores.Circuits.LoadAllAsync(CancellationToken.None).AsTask(), persistence);
        var restoredNames = (restored ?? []).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

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

        options.Randomizer = new DemoRandom(DemoScenario.JitterSeed(settings.Seed)).NextDouble; // repeatable jitter
        await using var engine = new ResilienceEngine(options, analyzer, time, loggerFactory: null, registry);
        await engine.EnsureStartedAsync(CancellationToken.None);
        await using var dashboard = settings.DashboardPort is { } port
            ? await Dashboard.DemoDashboard.StartAsync(engine, analyzer, registry, port, CancellationToken.None)
            : null;
        if (dashboard is not null)
        {
            DashboardStarted?.Invoke(dashboard.Address);
        }

        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        double Progress() => Math.Min(1.0, time.GetElapsedTime(started).TotalSeconds / settings.Duration.TotalSeconds);
        var providers = DemoScenario.Providers.Select((p, i) => new SimulatedProvider(p, DemoScenario.ProviderSeed(settings.Seed, i), time, Progress)).ToList();
        var callers = new DemoCallers(engine, [.. providers.Select(p => p.Strategy)], new DemoStats(DemoScenario.Providers.Select(p => p.Name)), Progress, time, settings)
        {
            CallCounted = CallCounted,
        };

        // The health monitor only watches (the engine never sees it): the figures are the same with it as without it.
        await using var health = new DemoHealth(providers, time);
        Starting?.Invoke();
        if (clock is not null)
        {
            var horizon = startedAt + settings.Duration + options.MaxTotalTime + TimeSpan.FromMinutes(1);
            await DiscreteEventLoop.RunAsync(clock, horizon, loop => RunVirtualAsync(loop, health, callers, cancellationToken));
        }
        else
        {
            await health.StartAsync();
            var all = callers.RunAsync(post: null, cancellationToken);
            if (context.Console.Profile.Capabilities.Interactive)
            {
                await DemoLiveView.ShowAsync(context.Console, settings, all, callers.Stats, registry, persistence, Progress, health);
            }

            await all;
        }

        await health.StopAsync();

        var finishedAt = time.GetUtcNow();
        await analyzer.FlushAsync(CancellationToken.None);
        await registry.FlushAsync();
        var report = await DemoReports.AssembleAsync(new DemoReports.Inputs(
            settings, analyzer, registry, callers.Stats.Snapshot(), providers, prior, failuresBefore, startedAt, finishedAt,
            Interrupted: cancellationToken.IsCancellationRequested, persistence, deleted, health.Report()));
        if (!persistence.Degraded)
        {
            await GuardedAsync(() => DemoHistory.SaveAsync(db, report, CancellationToken.None), persistence);
        }

        // Saving the scoreboard is the run's last write: if it failed, the report says so too.
        return report with { Persistence = PersistenceReport.Of(persistence) };
    }

    /// <summary>
    /// The virtual-time run: the monitor is started on the pump, so its rounds (on the pool) carry the run's context and the loop
    /// waits for each; the callers start in a step of their own, once the first round is over, so no check runs beside them.
    /// </summary>
    private static async Task<bool> RunVirtualAsync(DiscreteEventLoop loop, DemoHealth health, DemoCallers callers, CancellationToken cancellationToken)
    {
        await health.StartAsync();
        var go = new TaskCompletionSource();
        loop.Post(() => go.SetResult());
        await go.Task;
        return await callers.RunAsync(loop.Post, cancellationToken);
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
    /// Reads the store once before anything else touches the file: Steadfast's SQLite store checks the file is its own (or
    /// new) first and writes nothing to one that is not. Such a file ends the command; any other trouble degrades the run.
    /// </summary>
    private async Task VerifyOwnershipAsync(DemoStores stores, PersistenceWatch persistence)
    {
        try
        {
            await stores.Failures.GetBlacklistAsync(includeExpired: false, CancellationToken.None);
        }
        catch (Exception ex) when (StoreErrors.IsStoreFailure(ex, CancellationToken.None))
        {
            // Reported by the watched store already.
        }

        if (persistence.Problem is { NotOurs: true } problem)
        {
            throw new CliException(
                $"--db '{settings.Database}' is not a Steadfast database ({FreshStart.NotOursText(problem.Failure)}); it was left as it is. Point --db at another file.");
        }
    }

    /// <summary>Runs a read or write of the database outside the stores' own handling; a failure degrades the run instead of ending it.</summary>
    private static async Task<T?> GuardedAsync<T>(Func<Task<T>> work, PersistenceWatch persistence)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (StoreErrors.IsStoreFailure(ex, CancellationToken.None))
        {
            persistence.Report(ex);
            return default;
        }
    }

    /// <summary>
    /// Where a virtual-time run starts: a second after the previous run in this database ended, so runs form one timeline and a
    /// series of runs repeats exactly; the first starts at the context's clock (now).
    /// </summary>
    private DateTimeOffset VirtualStart(PreviousRun? previous) =>
        previous is null ? context.TimeProvider.GetUtcNow() : previous.FinishedAt + DemoSettings.VirtualGap;

    private void Warn(string line)
    {
        lock (context.Error)
        {
            context.Error.WriteLine(line);
        }
    }
}
