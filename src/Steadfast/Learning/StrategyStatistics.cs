namespace Steadfast;

/// <summary>What the learning layer knows of one strategy of one operation; the engine ranks strategies by it.</summary>
public sealed record StrategyStatistics
{
    /// <summary>The strategy.</summary>
    public required string StrategyName { get; init; }

    /// <summary>The operation.</summary>
    public required string Operation { get; init; }

    /// <summary>Successful attempts recorded.</summary>
    public long Successes { get; init; }

    /// <summary>Failed attempts recorded.</summary>
    public long Failures { get; init; }

    /// <summary>Mean duration of successful attempts; <see cref="TimeSpan.Zero"/> when none.</summary>
    public TimeSpan MeanLatency { get; init; }

    /// <summary>How many successes reported a duration; the weight of <see cref="MeanLatency"/>.</summary>
    public long LatencySamples { get; init; }

    /// <summary>The share of attempts that succeeded, from 0 to 1; 0 when nothing is known.</summary>
    public double SuccessRate => Attempts == 0 ? 0 : (double)Successes / Attempts;

    /// <summary>When the last success was recorded.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>When the last failure was recorded.</summary>
    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>All attempts recorded.</summary>
    public long Attempts => Successes + Failures;

    /// <summary>
    /// The recency-weighted success rate the engine ranks by: (s + 1) / (s + f + 2) over decayed counts s and f, where
    /// an attempt weighs 2^-(age / <see cref="FailureAnalyzerOptions.StatisticsHalfLife"/>) ×
    /// 2^-(later attempts / <see cref="FailureAnalyzerOptions.StatisticsHalfLifeAttempts"/>) (docs/learning.md).
    /// Rate-limited attempts are not counted.
    /// </summary>
    /// <value>From 0 to 1; 0.5 (the prior) when nothing recent is known. Kept in memory only: statistics read from a store carry 0.5.</value>
    public double RecentSuccessRate { get; init; } = 0.5;

    /// <summary>
    /// The recency-weighted mean duration of successful attempts, each weighted as in <see cref="RecentSuccessRate"/>:
    /// after a provider slowed down or sped up, it follows within a few calls.
    /// </summary>
    /// <value><see cref="TimeSpan.Zero"/> when no success reported a duration. Kept in memory only: statistics read from a store carry zero.</value>
    public TimeSpan RecentMeanLatency { get; init; }
}
