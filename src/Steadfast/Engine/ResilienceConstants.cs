namespace Steadfast;

/// <summary>
/// The defaults of <see cref="ResilienceOptions"/> (the seed's values), written once, and the engine's fixed tuning constants.
/// Internal: users read the defaults in the options' <c>&lt;value&gt;</c> docs, and a <c>const</c> here never compiles into their code.
/// </summary>
internal static class ResilienceConstants
{
    /// <summary>Default attempts per strategy, including the first: 5.</summary>
    public const int DefaultMaxAttempts = 5;

    /// <summary>Default (median) wait before the first retry: 1 second.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(1);

    /// <summary>Default cap of one retry delay: 60 seconds.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>Default exponential backoff multiplier: 2.0.</summary>
    public const double DefaultBackoffFactor = 2.0;

    /// <summary>Default time budget of one execution: 5 minutes.</summary>
    public static readonly TimeSpan DefaultMaxTotalTime = TimeSpan.FromMinutes(5);

    /// <summary>Default cost budget of one execution: 1.0.</summary>
    public const decimal DefaultMaxApiCost = 1.0m;

    /// <summary>Default attempt budget of one execution, across all strategies: 20.</summary>
    public const int DefaultMaxTotalAttempts = 20;

    /// <summary>Default number of strategies raced at once in parallel mode: 3.</summary>
    public const int DefaultMaxParallelStrategies = 3;

    /// <summary>Default bound of one attempt: 30 seconds.</summary>
    public static readonly TimeSpan DefaultStrategyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The cooldown of the engine's per-strategy circuits without a learning layer: the blacklist's default probe interval.</summary>
    public static readonly TimeSpan DefaultStrategyCircuitCooldown = TimeSpan.FromSeconds(5);

    /// <summary>Default failures of an operation needed before a pattern is reported: 3.</summary>
    public const int DefaultPatternThreshold = 3;

    /// <summary>Default interval of progress snapshots: 60 seconds.</summary>
    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromSeconds(60);

    /// <summary>Default failed attempts of one execution after which it is escalated: 10.</summary>
    public const int DefaultEscalateAfterFailures = 10;

    /// <summary>Default failed attempts of one execution after which a person is asked: 15.</summary>
    public const int DefaultUserInterventionThreshold = 15;

    /// <summary>How many times one execution asks the <see cref="ICreativeSolver"/> for a new strategy: 3.</summary>
    /// <remarks>Bounds a solver that keeps proposing strategies that are skipped (open circuit) and so never spend the attempt budget.</remarks>
    public const int MaxCreativeRounds = 3;

    /// <summary>The latency at which the ranking halves a strategy's score: 1 second. See <see cref="StrategyRanker"/>.</summary>
    public static readonly TimeSpan RankingLatencyScale = TimeSpan.FromSeconds(1);

    /// <summary>The event name under which escalations are logged and raised.</summary>
    public const string EscalatedEventName = "Escalated";

    /// <summary>The event name under which progress is raised.</summary>
    public const string ProgressEventName = "Progress";

}
