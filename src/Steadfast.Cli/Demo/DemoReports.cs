using Steadfast.Cli.Demo.Storage;

namespace Steadfast.Cli.Demo;

/// <summary>Gathers what the report says: what the run started from, and what it did and left behind.</summary>
internal static class DemoReports
{
    /// <summary>What earlier runs left in the database; <see langword="null"/> when nothing (a fresh start).</summary>
    public static async Task<PriorLearning?> DescribePriorAsync(FailureAnalyzer analyzer, CircuitBreakerRegistry registry, int circuitsRestored,
        IReadOnlySet<string> restoredNames, long failuresOnRecord, PreviousRun? previous, TimeProvider time)
    {
        var withStats = DemoScenario.Providers.Count(p => analyzer.GetStrategyStatistics(p.Name, DemoScenario.Operation).Attempts > 0);
        var blacklist = await analyzer.GetBlacklistAsync(CancellationToken.None);
        if (failuresOnRecord == 0 && withStats == 0 && blacklist.Count == 0 && circuitsRestored == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var restored = DemoCircuits(registry).Where(c => restoredNames.Contains(c.Name)).Select(c => new RestoredCircuit(c.Name, c.State, c.State == CircuitState.Open && c.RetryAfter is { } wait ? now + wait : null)).ToList();
        return new PriorLearning(failuresOnRecord, withStats, [.. blacklist.Select(e => e.StrategyName)], blacklist, circuitsRestored, restored, previous);
    }

    /// <summary>The report of a finished run (flush the analyzer and the registry first: it reads the store).</summary>
    public static async Task<DemoReport> AssembleAsync(Inputs i)
    {
        var analytics = await i.Analyzer.GetAnalyticsAsync(CancellationToken.None);
        return new DemoReport
        {
            Seed = i.Settings.Seed,
            Mode = i.Settings.Mode,
            Concurrency = i.Settings.Concurrency,
            VirtualTime = i.Settings.VirtualTime,
            RequestedSeconds = i.Settings.Duration.TotalSeconds,
            ElapsedSeconds = Math.Round((i.FinishedAt - i.StartedAt).TotalSeconds, 2),
            StartedAt = i.StartedAt,
            FinishedAt = i.FinishedAt,
            Interrupted = i.Interrupted,
            Totals = i.Totals,
            Providers = [.. i.Providers.Select(p => new ProviderReport(p.Profile.Name, p.Profile.Description, p.Counts))],
            StartedFrom = i.Prior,
            ThisRun = RunAnalysis.Of(i.Analyzer, i.Totals, i.StartedAt),
            // While the store fails, the analyzer answers from memory: those failures are not on record, so no figure is given.
            FailuresOnRecord = i.Persistence.Degraded
                ? null
                : new FailuresOnRecord(analytics.TotalFailures - i.FailuresBefore, analytics.TotalFailures, await CutUnansweredAsync(i)),
            Learned = [.. DemoScenario.Providers.Select(p => i.Analyzer.GetStrategyStatistics(p.Name, DemoScenario.Operation))],
            Blacklist = await i.Analyzer.GetBlacklistAsync(CancellationToken.None),
            Circuits = DemoCircuits(i.Registry),
            Persistence = PersistenceReport.Of(i.Persistence),
            Fresh = i.Deleted is null ? null : new FreshReport(i.Deleted),
            Health = i.Health,
        };
    }

    /// <summary>
    /// Racers the engine cut unanswered and recorded as timeouts for learning, per strategy: a racer still running well past its
    /// usual latency when another strategy answered is booked as a lost race in the result (the call did not fail for it) but
    /// recorded as a failure, so a provider that stopped answering loses its rank. The result does not mark them, so they are
    /// this run's recorded timeouts beyond the timed-out attempts; each is one of the strategy's lost races. Empty when the store
    /// cannot be read (then the run is degraded and no figure on record is given).
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, int>> CutUnansweredAsync(Inputs i)
    {
        IReadOnlyList<Failure> recorded;
        try
        {
            recorded = await i.Analyzer.Store.GetFailuresAsync(DemoScenario.Operation, errorType: null, since: i.StartedAt, limit: int.MaxValue, CancellationToken.None);
        }
        catch (Exception ex) when (Storage.StoreErrors.IsStoreFailure(ex, CancellationToken.None))
        {
            return new Dictionary<string, int>(StringComparer.Ordinal);
        }

        var timedOut = i.Totals.FailureCauses.Where(c => c.Category == ErrorCategory.Timeout)
            .GroupBy(c => c.Strategy, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Count), StringComparer.Ordinal);
        return recorded.Where(f => f.Category == ErrorCategory.Timeout && f.Strategy is not null)
            .GroupBy(f => f.Strategy!, StringComparer.Ordinal)
            .Select(g => (Strategy: g.Key, Cut: g.Count() - timedOut.GetValueOrDefault(g.Key)))
            .Where(s => s.Cut > 0)
            .OrderBy(s => s.Strategy, StringComparer.Ordinal)
            .ToDictionary(s => s.Strategy, s => s.Cut, StringComparer.Ordinal);
    }

    /// <summary>The circuits of the demo's strategies, in the scenario's order.</summary>
    private static List<CircuitBreakerStatus> DemoCircuits(CircuitBreakerRegistry registry) =>
        [.. DemoScenario.Providers
            .Select(p => registry.TryGet(DemoScenario.CircuitName(p.Name), out var breaker) ? breaker.GetStatus() : null)
            .OfType<CircuitBreakerStatus>()];

    /// <summary>What a finished run hands to the report.</summary>
    public sealed record Inputs(
        DemoSettings Settings,
        FailureAnalyzer Analyzer,
        CircuitBreakerRegistry Registry,
        DemoTotals Totals,
        IReadOnlyList<SimulatedProvider> Providers,
        PriorLearning? Prior,
        long FailuresBefore,
        DateTimeOffset StartedAt,
        DateTimeOffset FinishedAt,
        bool Interrupted,
        PersistenceWatch Persistence,
        IReadOnlyList<string>? Deleted,
        Health.DemoHealthReport? Health = null);
}
