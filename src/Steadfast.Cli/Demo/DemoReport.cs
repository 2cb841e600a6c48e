namespace Steadfast.Cli.Demo;

/// <summary>Everything the demo reports; rendered as tables, or written as JSON with --json.</summary>
internal sealed record DemoReport
{
    public required int Seed { get; init; }

    public required bool Parallel { get; init; }

    public required int Concurrency { get; init; }

    public required double RequestedSeconds { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required bool Interrupted { get; init; }

    public required DemoTotals Totals { get; init; }

    public required PriorLearning? StartedFrom { get; init; }

    public required FailurePattern Pattern { get; init; }

    public required RootCause RootCause { get; init; }

    public required IReadOnlyList<string> Recommendations { get; init; }

    public required IReadOnlyList<BlacklistEntry> Blacklist { get; init; }

    public required IReadOnlyList<StrategyStatistics> Statistics { get; init; }

    public required IReadOnlyList<CircuitBreakerStatus> Circuits { get; init; }
}

/// <summary>What earlier runs had left in the database when this run started.</summary>
internal sealed record PriorLearning(
    long FailuresOnRecord,
    int StrategiesWithStatistics,
    IReadOnlyList<string> BlacklistedStrategies,
    int CircuitsRestored,
    PreviousRun? PreviousRun);
