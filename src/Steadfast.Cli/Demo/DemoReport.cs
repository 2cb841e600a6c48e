namespace Steadfast.Cli.Demo;

/// <summary>Everything the demo reports; rendered as tables, or written as JSON with --json.</summary>
internal sealed record DemoReport
{
    public required int Seed { get; init; }

    public required ExecutionMode Mode { get; init; }

    /// <summary>Whether the providers were raced (race or hedged mode); kept for scripts that read it.</summary>
    public bool Parallel => Mode != ExecutionMode.Sequential;

    public required int Concurrency { get; init; }

    /// <summary>Whether the run used virtual time (<c>--virtual-time</c>): the same seed then gives the same figures.</summary>
    public required bool VirtualTime { get; init; }

    public required double RequestedSeconds { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required bool Interrupted { get; init; }

    /// <summary>This run's figures.</summary>
    public required DemoTotals Totals { get; init; }

    /// <summary>What each simulated provider saw (its requests match the attempts the engine made on it).</summary>
    public required IReadOnlyList<ProviderReport> Providers { get; init; }

    /// <summary>What earlier runs had left in the database; <see langword="null"/> on a fresh start.</summary>
    public required PriorLearning? StartedFrom { get; init; }

    /// <summary>This run's failures, analysed on their own (never the previous run's).</summary>
    public required RunAnalysis ThisRun { get; init; }

    /// <summary>
    /// Failures in the database's record: added by this run, and in total (what <c>steadfast analytics</c> shows);
    /// <see langword="null"/> when persistence was degraded (what is on record is then not known).
    /// </summary>
    public required FailuresOnRecord? FailuresOnRecord { get; init; }

    /// <summary>What the engine has learned per strategy, over all runs in this database.</summary>
    public required IReadOnlyList<StrategyStatistics> Learned { get; init; }

    public required IReadOnlyList<BlacklistEntry> Blacklist { get; init; }

    /// <summary>The circuits at the end of the run.</summary>
    public required IReadOnlyList<CircuitBreakerStatus> Circuits { get; init; }

    /// <summary>Whether the stores on --db worked throughout the run, and if not, why.</summary>
    public required PersistenceReport Persistence { get; init; }

    /// <summary>What <c>--fresh</c> deleted; <see langword="null"/> without <c>--fresh</c>.</summary>
    public required FreshReport? Fresh { get; init; }

    /// <summary>The operation mode, its changes and the providers' health as the demo's health monitor saw them.</summary>
    public Health.DemoHealthReport? Health { get; init; }
}

/// <summary>Whether the demo's stores worked.</summary>
/// <param name="Degraded">Whether a store failed: the run went on in memory.</param>
/// <param name="Reason">Why, in one line (the first failure); <see langword="null"/> when none failed.</param>
internal sealed record PersistenceReport(bool Degraded, string? Reason)
{
    public static PersistenceReport Of(Storage.PersistenceWatch watch) => new(watch.Degraded, watch.Problem?.Reason);
}

/// <summary>What <c>--fresh</c> deleted.</summary>
/// <param name="Deleted">The files deleted (the database and its WAL files); empty when there was no database.</param>
internal sealed record FreshReport(IReadOnlyList<string> Deleted);

/// <summary>A simulated provider as the demo describes it, with what it saw.</summary>
internal sealed record ProviderReport(string Name, string Description, ProviderCounts Counts);

/// <summary>What earlier runs had left in the database when this run started.</summary>
/// <param name="FailuresOnRecord">Failures in the store.</param>
/// <param name="StrategiesWithStatistics">Strategies of the demo with learned statistics.</param>
/// <param name="BlacklistedStrategies">Strategies blacklisted at the start.</param>
/// <param name="Blacklist">Their entries (reason, expiry).</param>
/// <param name="CircuitsRestored">Circuit snapshots loaded from the store.</param>
/// <param name="RestoredCircuits">The demo's circuits as restored, before the first call.</param>
/// <param name="PreviousRun">The previous run's scoreboard, if the database has one.</param>
internal sealed record PriorLearning(
    long FailuresOnRecord,
    int StrategiesWithStatistics,
    IReadOnlyList<string> BlacklistedStrategies,
    IReadOnlyList<BlacklistEntry> Blacklist,
    int CircuitsRestored,
    IReadOnlyList<RestoredCircuit> RestoredCircuits,
    PreviousRun? PreviousRun);

/// <summary>A circuit as restored from the store, before this run's first call.</summary>
/// <param name="Name">The circuit (<c>operation/strategy</c>).</param>
/// <param name="State">Its state once restored.</param>
/// <param name="OpenUntil">When an open circuit lets a probe through.</param>
internal sealed record RestoredCircuit(string Name, CircuitState State, DateTimeOffset? OpenUntil);

/// <summary>Failures on record: this run's part and the total.</summary>
/// <param name="AddedByThisRun">Failures this run added to the store: its failed attempts, and its racers cut unanswered.</param>
/// <param name="Total">Failures in the store at the end (the total of <c>steadfast analytics</c>).</param>
/// <param name="CutUnanswered">
/// Per strategy, attempts the engine cut unanswered when another strategy won (lost races in the result) and recorded as
/// timeouts for learning.
/// </param>
internal sealed record FailuresOnRecord(long AddedByThisRun, long Total, IReadOnlyDictionary<string, int> CutUnanswered)
{
    /// <summary>All racers cut unanswered and recorded as timeouts.</summary>
    public int CutUnansweredTotal => CutUnanswered.Values.Sum();
}
