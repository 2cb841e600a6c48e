namespace Steadfast;

/// <summary>
/// Orders strategies best first. The score of a strategy is
/// <code>
/// score = Priority × (successes + 1) / (attempts + 2) × 1 / (1 + meanLatency / 1 s) × 1 / (1 + Cost / costScale)
/// </code>
/// where the success rate is Laplace-smoothed (a prior of one success and one failure, so a new strategy starts at
/// 0.5 and is not judged on one call), <c>meanLatency</c> is the mean duration of its successful attempts (0 when
/// unknown, so new strategies are not penalised) and <c>costScale</c> is <see cref="ResilienceOptions.MaxApiCost"/>
/// (1 when that is 0): a strategy costing the whole budget has its score halved. Ties keep the given order.
/// </summary>
internal static class StrategyRanker
{
    public static double Score(double priority, long successes, long failures, TimeSpan meanLatency, decimal cost, decimal maxApiCost)
    {
        var successRate = (successes + 1.0) / (successes + failures + 2.0);
        var latencyFactor = 1.0 / (1.0 + (meanLatency.TotalSeconds / ResilienceConstants.RankingLatencyScale.TotalSeconds));
        var costScale = maxApiCost > 0 ? (double)maxApiCost : 1.0;
        var costFactor = 1.0 / (1.0 + ((double)cost / costScale));
        return priority * successRate * latencyFactor * costFactor;
    }
}
