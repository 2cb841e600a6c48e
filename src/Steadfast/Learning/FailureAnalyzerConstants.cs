namespace Steadfast;

/// <summary>
/// The defaults of <see cref="FailureAnalyzerOptions"/> and <see cref="FailureAnalyzer"/>, written once. Internal: the
/// public documentation of each default is the <c>&lt;value&gt;</c> of its option.
/// </summary>
internal static class FailureAnalyzerConstants
{
    /// <summary>The default SQLite file when persistence is on and no path is given.</summary>
    public const string DefaultDatabasePath = "data/failures.db";

    /// <summary>Failures needed before a pattern is reported.</summary>
    public const int DefaultPatternThreshold = 3;

    /// <summary>How far back "recent failures" reach.</summary>
    public static readonly TimeSpan DefaultPatternWindow = TimeSpan.FromMinutes(10);

    /// <summary>How close together failures of different types must be to count as a cascade.</summary>
    public static readonly TimeSpan DefaultCascadeWindow = TimeSpan.FromSeconds(60);

    /// <summary>Success-to-failure flips among recent outcomes needed for the intermittent pattern.</summary>
    public const int DefaultIntermittentMinFlips = 3;

    /// <summary>Lowest failure rate (inclusive) that still counts as intermittent.</summary>
    public const double DefaultIntermittentMinFailureRate = 0.2;

    /// <summary>Highest failure rate (inclusive) that still counts as intermittent.</summary>
    public const double DefaultIntermittentMaxFailureRate = 0.8;

    /// <summary>How long the same error may go on, unbroken by a success, before it counts as permanent.</summary>
    public static readonly TimeSpan DefaultPermanentSpan = TimeSpan.FromMinutes(30);

    /// <summary>Distinct error types one service must show to count as unstable.</summary>
    public const int DefaultUnstableServiceMinErrorTypes = 3;

    /// <summary>Failures of a strategy, without a success, that blacklist it automatically.</summary>
    public const int DefaultBlacklistThreshold = 5;

    /// <summary>The window the automatic blacklist counts failures in.</summary>
    public static readonly TimeSpan DefaultBlacklistWindow = TimeSpan.FromMinutes(10);

    /// <summary>How long an automatic blacklist entry lasts the first time.</summary>
    public static readonly TimeSpan DefaultBlacklistDuration = TimeSpan.FromHours(1);

    /// <summary>The longest an automatic blacklist entry lasts, however often the strategy is blacklisted again.</summary>
    public static readonly TimeSpan DefaultMaxBlacklistDuration = TimeSpan.FromHours(24);

    /// <summary>How long failures are kept.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(30);

    /// <summary>How often old failures are deleted.</summary>
    public static readonly TimeSpan DefaultCleanupInterval = TimeSpan.FromHours(6);

    /// <summary>Failures that may wait for the background writer before new ones are dropped.</summary>
    public const int DefaultWriteBufferCapacity = 100_000;

    /// <summary>Failures the background writer puts in one transaction at most.</summary>
    public const int DefaultWriteBatchSize = 1_000;

    /// <summary>How long the analyzer waits before trying an unhealthy store again.</summary>
    public static readonly TimeSpan DefaultPersistenceRetryInterval = TimeSpan.FromSeconds(30);

    /// <summary>Recent failures kept in memory per operation.</summary>
    public const int DefaultMaxRecentFailuresPerOperation = 1_000;

    /// <summary>Recent outcomes (successes and failures) kept in memory per operation.</summary>
    public const int DefaultOutcomeHistorySize = 100;

    /// <summary>How long statistics increments may wait in memory before they are written as one merged item.</summary>
    public static readonly TimeSpan DefaultStatisticsFlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Pending statistics increments that trigger a write at once.</summary>
    public const int DefaultStatisticsFlushThreshold = 10_000;

    /// <summary>How long after an automatic blacklisting the first recovery probe is due.</summary>
    public static readonly TimeSpan DefaultBlacklistProbeInterval = TimeSpan.FromSeconds(5);

    /// <summary>The age at which evidence weighs half in the recent success rate and latency.</summary>
    public static readonly TimeSpan DefaultStatisticsHalfLife = TimeSpan.FromSeconds(30);

    /// <summary>The number of later attempts of the same strategy after which evidence weighs half.</summary>
    public const int DefaultStatisticsHalfLifeAttempts = 3;
}
