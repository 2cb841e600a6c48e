namespace Steadfast;

/// <summary>
/// The analyzer's mutable running totals for one strategy of one operation: updated in place on the hot path
/// (no record copy per call), turned into a <see cref="StrategyStatistics"/> when read. Guarded by the <see cref="LearningState"/> lock.
/// </summary>
internal sealed class StatisticsCell
{
    public long Successes;
    public long Failures;
    public long LatencySamples;
    public long LatencyTicks;
    public DateTimeOffset? LastSuccessAt;
    public DateTimeOffset? LastFailureAt;

    /// <summary>The recency-weighted evidence (totals cells only; pending-increment and store cells leave it empty).</summary>
    public RecentEvidence Recent;

    /// <summary>
    /// The increments of the same key not yet written to the store (a cell of the <see cref="StatisticsTracker"/>'s pending map), linked here
    /// so the hot path finds both with one lookup. Zeroed, not removed, after a write: steady state allocates nothing.
    /// </summary>
    public StatisticsCell? Pending;

    public bool IsEmpty => Successes == 0 && Failures == 0 && LastSuccessAt is null && LastFailureAt is null;

    public void Reset()
    {
        Successes = 0;
        Failures = 0;
        LatencySamples = 0;
        LatencyTicks = 0;
        LastSuccessAt = null;
        LastFailureAt = null;
    }

    public void AddSuccess(DateTimeOffset at, TimeSpan? duration)
    {
        Successes++;
        if (duration is { } d)
        {
            LatencySamples++;
            LatencyTicks += d.Ticks;
        }

        if (LastSuccessAt is null || at > LastSuccessAt)
        {
            LastSuccessAt = at;
        }
    }

    public void AddFailure(DateTimeOffset at)
    {
        Failures++;
        if (LastFailureAt is null || at > LastFailureAt)
        {
            LastFailureAt = at;
        }
    }

    public void Add(StrategyStatistics s)
    {
        Successes += s.Successes;
        Failures += s.Failures;
        LatencySamples += s.LatencySamples;
        LatencyTicks += s.MeanLatency.Ticks * s.LatencySamples;
        LastSuccessAt = Later(LastSuccessAt, s.LastSuccessAt);
        LastFailureAt = Later(LastFailureAt, s.LastFailureAt);
    }

    /// <summary>The statistics of these counts; with <paramref name="decay"/>, the recent values as of <paramref name="now"/> too (else their defaults).</summary>
    public StrategyStatistics ToStatistics(string strategy, string operation, RecencyDecay? decay = null, DateTimeOffset now = default) => new()
    {
        StrategyName = strategy,
        Operation = operation,
        Successes = Successes,
        Failures = Failures,
        LatencySamples = LatencySamples,
        MeanLatency = LatencySamples == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(LatencyTicks / LatencySamples),
        LastSuccessAt = LastSuccessAt,
        LastFailureAt = LastFailureAt,
        RecentSuccessRate = decay is null ? 0.5 : Recent.SuccessRate(now, decay),
        RecentMeanLatency = decay is null ? TimeSpan.Zero : Recent.MeanLatency,
    };

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
