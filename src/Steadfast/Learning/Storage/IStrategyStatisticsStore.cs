namespace Steadfast;

/// <summary>
/// Keeps strategy statistics so a restarted engine ranks strategies by what it learned before.
/// Both failure stores implement it; <see cref="FailureAnalyzer"/> uses it when its store does.
/// </summary>
/// <remarks>
/// Writes are increments, not replacements, so two processes sharing one store add up instead of
/// overwriting each other.
/// </remarks>
public interface IStrategyStatisticsStore
{
    /// <summary>
    /// Adds increments to the stored statistics: successes, failures and latency samples are added, mean
    /// latencies are combined weighted by <see cref="StrategyStatistics.LatencySamples"/>, the later of each
    /// timestamp is kept.
    /// </summary>
    /// <param name="increments">What happened since the last call, one entry per strategy and operation.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the increments are stored.</returns>
    ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default);

    /// <summary>Reads every stored statistic.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The statistics, in no particular order.</returns>
    ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default);
}
