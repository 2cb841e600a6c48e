namespace Steadfast;

/// <summary>How two sets of statistics of one strategy add up; shared by the analyzer and every store.</summary>
internal static class StrategyStatisticsMerger
{
    public static StrategyStatistics Merge(StrategyStatistics current, StrategyStatistics increment)
    {
        var samples = current.LatencySamples + increment.LatencySamples;
        var mean = samples == 0
            ? TimeSpan.Zero
            : TimeSpan.FromTicks((long)(((decimal)current.MeanLatency.Ticks * current.LatencySamples + (decimal)increment.MeanLatency.Ticks * increment.LatencySamples) / samples));
        return current with
        {
            Successes = current.Successes + increment.Successes,
            Failures = current.Failures + increment.Failures,
            LatencySamples = samples,
            MeanLatency = mean,
            LastSuccessAt = Max(current.LastSuccessAt, increment.LastSuccessAt),
            LastFailureAt = Max(current.LastFailureAt, increment.LastFailureAt),
        };
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
