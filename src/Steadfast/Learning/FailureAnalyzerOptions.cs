namespace Steadfast;

/// <summary>
/// How <see cref="FailureAnalyzer"/> recognises patterns, blacklists strategies and keeps what it learned.
/// Validated when the analyzer is built: a bad value throws, naming the property, the value and the allowed range.
/// </summary>
public sealed class FailureAnalyzerOptions
{
    /// <summary>Failures needed before a pattern is reported (N in docs/learning.md).</summary>
    /// <value>The default is 3. Allowed: 1 to 1000.</value>
    public int PatternThreshold { get; set; } = FailureAnalyzerConstants.DefaultPatternThreshold;

    /// <summary>How far back the recent failures of an operation reach.</summary>
    /// <value>The default is 10 minutes. Allowed: 1 second to 7 days.</value>
    public TimeSpan PatternWindow { get; set; } = FailureAnalyzerConstants.DefaultPatternWindow;

    /// <summary>How close together failures of different types must be to count as cascading.</summary>
    /// <value>The default is 60 seconds. Allowed: 1 millisecond to <see cref="PatternWindow"/>.</value>
    public TimeSpan CascadeWindow { get; set; } = FailureAnalyzerConstants.DefaultCascadeWindow;

    /// <summary>Success-to-failure flips among the recent outcomes needed for the intermittent pattern.</summary>
    /// <value>The default is 3. Allowed: 1 to 1000.</value>
    public int IntermittentMinFlips { get; set; } = FailureAnalyzerConstants.DefaultIntermittentMinFlips;

    /// <summary>Lowest failure rate (inclusive) among recent outcomes that still counts as intermittent.</summary>
    /// <value>The default is 0.2. Allowed: 0 to <see cref="IntermittentMaxFailureRate"/>.</value>
    public double IntermittentMinFailureRate { get; set; } = FailureAnalyzerConstants.DefaultIntermittentMinFailureRate;

    /// <summary>Highest failure rate (inclusive) among recent outcomes that still counts as intermittent.</summary>
    /// <value>The default is 0.8. Allowed: <see cref="IntermittentMinFailureRate"/> to 1.</value>
    public double IntermittentMaxFailureRate { get; set; } = FailureAnalyzerConstants.DefaultIntermittentMaxFailureRate;

    /// <summary>How long the same error may go on, unbroken by any success, before it counts as permanent.</summary>
    /// <value>The default is 30 minutes. Allowed: 1 second to 30 days.</value>
    public TimeSpan PermanentSpan { get; set; } = FailureAnalyzerConstants.DefaultPermanentSpan;

    /// <summary>Distinct error types one service must show, across operations, to count as unstable.</summary>
    /// <value>The default is 3. Allowed: 2 to 100.</value>
    public int UnstableServiceMinErrorTypes { get; set; } = FailureAnalyzerConstants.DefaultUnstableServiceMinErrorTypes;

    /// <summary>Failures of a strategy for an operation, with no success between them, that blacklist it automatically.</summary>
    /// <value>The default is 5. Allowed: 1 to 10000.</value>
    public int BlacklistThreshold { get; set; } = FailureAnalyzerConstants.DefaultBlacklistThreshold;

    /// <summary>The window in which <see cref="BlacklistThreshold"/> failures must happen.</summary>
    /// <value>The default is 10 minutes. Allowed: 1 second to 7 days.</value>
    public TimeSpan BlacklistWindow { get; set; } = FailureAnalyzerConstants.DefaultBlacklistWindow;

    /// <summary>
    /// How long an automatic blacklist entry lasts the first time; each time the same strategy is blacklisted
    /// again for the same operation the duration doubles, up to <see cref="MaxBlacklistDuration"/>.
    /// </summary>
    /// <value>The default is 1 hour. Allowed: 1 second to <see cref="MaxBlacklistDuration"/>.</value>
    public TimeSpan BlacklistDuration { get; set; } = FailureAnalyzerConstants.DefaultBlacklistDuration;

    /// <summary>The longest an automatic blacklist entry lasts.</summary>
    /// <value>The default is 24 hours. Allowed: <see cref="BlacklistDuration"/> to 365 days.</value>
    public TimeSpan MaxBlacklistDuration { get; set; } = FailureAnalyzerConstants.DefaultMaxBlacklistDuration;

    /// <summary>Whether strategies are blacklisted automatically at all.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool EnableAutomaticBlacklist { get; set; } = true;

    /// <summary>How long failures are kept in the store; older ones are deleted at start and every <see cref="CleanupInterval"/>.</summary>
    /// <value>The default is 30 days. Allowed: 1 day to 3650 days; rounded up to whole days.</value>
    public TimeSpan Retention { get; set; } = FailureAnalyzerConstants.DefaultRetention;

    /// <summary>How often failures older than <see cref="Retention"/> are deleted.</summary>
    /// <value>The default is 6 hours. Allowed: 1 minute to 30 days.</value>
    public TimeSpan CleanupInterval { get; set; } = FailureAnalyzerConstants.DefaultCleanupInterval;

    /// <summary>Failures that may wait for the background writer; beyond it new failures are not persisted (counted and logged).</summary>
    /// <value>The default is 100000. Allowed: 1 to 10000000.</value>
    public int WriteBufferCapacity { get; set; } = FailureAnalyzerConstants.DefaultWriteBufferCapacity;

    /// <summary>Failures the background writer puts in one transaction at most.</summary>
    /// <value>The default is 1000. Allowed: 1 to 100000.</value>
    public int WriteBatchSize { get; set; } = FailureAnalyzerConstants.DefaultWriteBatchSize;

    /// <summary>How long the analyzer waits before trying an unhealthy store again.</summary>
    /// <value>The default is 30 seconds. Allowed: 10 milliseconds to 1 hour.</value>
    public TimeSpan PersistenceRetryInterval { get; set; } = FailureAnalyzerConstants.DefaultPersistenceRetryInterval;

    /// <summary>Recent failures kept in memory per operation for pattern analysis.</summary>
    /// <value>The default is 1000. Allowed: 10 to 1000000.</value>
    public int MaxRecentFailuresPerOperation { get; set; } = FailureAnalyzerConstants.DefaultMaxRecentFailuresPerOperation;

    /// <summary>Recent outcomes (successes and failures) kept in memory per operation for the intermittent pattern.</summary>
    /// <value>The default is 100. Allowed: 2 to 100000.</value>
    public int OutcomeHistorySize { get; set; } = FailureAnalyzerConstants.DefaultOutcomeHistorySize;

    /// <summary>
    /// How long statistics increments (successes, failures, latency) may wait in memory before they are written to the
    /// store as one merged item. They are counted in memory at once; this only delays their persistence, so a burst of
    /// successes costs one write instead of one per success. Failures and <see cref="FailureAnalyzer.FlushAsync"/> write them sooner.
    /// </summary>
    /// <value>The default is 1 second. Allowed: 10 milliseconds to 1 hour.</value>
    public TimeSpan StatisticsFlushInterval { get; set; } = FailureAnalyzerConstants.DefaultStatisticsFlushInterval;

    /// <summary>Statistics increments pending in memory that trigger a write at once instead of waiting for <see cref="StatisticsFlushInterval"/>.</summary>
    /// <value>The default is 10000. Allowed: 1 to 10000000 (1 writes after every recorded attempt).</value>
    public int StatisticsFlushThreshold { get; set; } = FailureAnalyzerConstants.DefaultStatisticsFlushThreshold;

    /// <summary>
    /// How long after a strategy was blacklisted automatically its first recovery probe is due: one real call, claimed
    /// with <see cref="FailureAnalyzer.TryBeginProbe"/>, whose success lifts the entry. Each failed probe doubles the
    /// interval; no probe is scheduled after the entry's <see cref="BlacklistEntry.ExpiresAt"/>. Manual entries are never probed.
    /// An entry loaded from the store at start-up is probed at once (the outage may have ended while no process ran).
    /// </summary>
    /// <value>The default is 5 seconds. Allowed: 100 milliseconds to 1 hour.</value>
    public TimeSpan BlacklistProbeInterval { get; set; } = FailureAnalyzerConstants.DefaultBlacklistProbeInterval;

    /// <summary>
    /// The age at which an attempt's evidence weighs half in <see cref="StrategyStatistics.RecentSuccessRate"/> and
    /// <see cref="StrategyStatistics.RecentMeanLatency"/> (together with <see cref="StatisticsHalfLifeAttempts"/>), so
    /// ranking forgets an outage that is over. The cumulative counts are not weighted.
    /// </summary>
    /// <value>The default is 30 seconds. Allowed: 100 milliseconds to 365 days.</value>
    public TimeSpan StatisticsHalfLife { get; set; } = FailureAnalyzerConstants.DefaultStatisticsHalfLife;

    /// <summary>
    /// The number of later attempts of the same strategy for the same operation after which an attempt's evidence weighs
    /// half in <see cref="StrategyStatistics.RecentSuccessRate"/> and <see cref="StrategyStatistics.RecentMeanLatency"/>
    /// (together with <see cref="StatisticsHalfLife"/>), so a provider that recovered regains its rank within a few calls.
    /// </summary>
    /// <value>The default is 3. Allowed: 1 to 1000000.</value>
    public int StatisticsHalfLifeAttempts { get; set; } = FailureAnalyzerConstants.DefaultStatisticsHalfLifeAttempts;

    /// <summary>Throws when an option is out of range, naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Guard.InRange(PatternThreshold, 1, 1000, nameof(FailureAnalyzerOptions));
        Guard.InRange(PatternWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7), nameof(FailureAnalyzerOptions));
        Guard.InRange(CascadeWindow, TimeSpan.FromMilliseconds(1), PatternWindow, nameof(FailureAnalyzerOptions));
        Guard.InRange(IntermittentMinFlips, 1, 1000, nameof(FailureAnalyzerOptions));
        Guard.InRange(IntermittentMaxFailureRate, 0, 1, nameof(FailureAnalyzerOptions));
        Guard.InRange(IntermittentMinFailureRate, 0, IntermittentMaxFailureRate, nameof(FailureAnalyzerOptions));
        Guard.InRange(PermanentSpan, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30), nameof(FailureAnalyzerOptions));
        Guard.InRange(UnstableServiceMinErrorTypes, 2, 100, nameof(FailureAnalyzerOptions));
        Guard.InRange(BlacklistThreshold, 1, 10_000, nameof(FailureAnalyzerOptions));
        Guard.InRange(BlacklistWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7), nameof(FailureAnalyzerOptions));
        Guard.InRange(MaxBlacklistDuration, TimeSpan.FromSeconds(1), TimeSpan.FromDays(365), nameof(FailureAnalyzerOptions));
        Guard.InRange(BlacklistDuration, TimeSpan.FromSeconds(1), MaxBlacklistDuration, nameof(FailureAnalyzerOptions));
        Guard.InRange(Retention, TimeSpan.FromDays(1), TimeSpan.FromDays(3650), nameof(FailureAnalyzerOptions));
        Guard.InRange(CleanupInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), nameof(FailureAnalyzerOptions));
        Guard.InRange(WriteBufferCapacity, 1, 10_000_000, nameof(FailureAnalyzerOptions));
        Guard.InRange(WriteBatchSize, 1, 100_000, nameof(FailureAnalyzerOptions));
        Guard.InRange(PersistenceRetryInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), nameof(FailureAnalyzerOptions));
        Guard.InRange(MaxRecentFailuresPerOperation, 10, 1_000_000, nameof(FailureAnalyzerOptions));
        Guard.InRange(OutcomeHistorySize, 2, 100_000, nameof(FailureAnalyzerOptions));
        Guard.InRange(StatisticsFlushInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), nameof(FailureAnalyzerOptions));
        Guard.InRange(StatisticsFlushThreshold, 1, 10_000_000, nameof(FailureAnalyzerOptions));
        Guard.InRange(BlacklistProbeInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), nameof(FailureAnalyzerOptions));
        Guard.InRange(StatisticsHalfLife, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(365), nameof(FailureAnalyzerOptions));
        Guard.InRange(StatisticsHalfLifeAttempts, 1, 1_000_000, nameof(FailureAnalyzerOptions));
    }

    /// <summary>Copies these options; changing the copy leaves these unchanged (every option is a value).</summary>
    /// <returns>A new instance with the same values.</returns>
    public FailureAnalyzerOptions Clone() => (FailureAnalyzerOptions)MemberwiseClone();
}
