namespace Steadfast;

/// <summary>
/// Orders strategies best first. The score of a strategy is
/// <code>
/// score = Priority × recentSuccessRate² × 1 / (1 + recentMeanLatency / 1 s) × 1 / (1 + Cost / costScale)
/// </code>
/// The success rate counts twice because <c>s² = s / (1 + (1 − s) / s)</c>: the chance of success divided by one plus the
/// failed attempts expected per success. A failed attempt costs the caller a request and its latency before the next
/// strategy runs, so reliability outweighs raw speed.
/// where <c>recentSuccessRate</c> and <c>recentMeanLatency</c> are the learning layer's recency-weighted figures
/// (<see cref="StrategyStatistics.RecentSuccessRate"/>, Laplace-smoothed, 0.5 for a strategy never seen, so a new strategy
/// is not judged on one call; <see cref="StrategyStatistics.RecentMeanLatency"/>, 0 when unknown, so new strategies are not
/// penalised): old evidence fades, so a provider that recovered regains its rank within a few calls (docs/learning.md).
/// <c>costScale</c> is <see cref="ResilienceOptions.MaxApiCost"/> (1 when that is 0): a strategy costing the whole budget
/// has its score halved. Ties keep the given order.
/// </summary>
internal static class StrategyRanker
{
    /// <summary>The success rate of a strategy nothing is known about.</summary>
    public const double Unknown = 0.5;

    public static double Score(double priority, double successRate, TimeSpan meanLatency, decimal cost, decimal maxApiCost) =>
        WithCost(Base(priority, successRate, meanLatency), cost, maxApiCost);

    /// <summary>The score before the request's cost: what a caller ranking many requests on the same figures may keep.</summary>
    public static double Base(double priority, double successRate, TimeSpan meanLatency)
    {
        var latencyFactor = 1.0 / (1.0 + (meanLatency.TotalSeconds / ResilienceConstants.RankingLatencyScale.TotalSeconds));
        var reliability = successRate * successRate;
        return priority * reliability * latencyFactor;
    }

    /// <summary>A <see cref="Base"/> score with the request's cost applied; a free request leaves it as it is (no decimal arithmetic).</summary>
    public static double WithCost(double baseScore, decimal cost, decimal maxApiCost)
    {
        if (cost == 0m)
        {
            return baseScore;
        }

        var costScale = maxApiCost > 0 ? (double)maxApiCost : 1.0;
        return baseScore * (1.0 / (1.0 + ((double)cost / costScale)));
    }
}
