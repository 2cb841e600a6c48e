namespace Steadfast;

/// <summary>What a <see cref="SteadfastCache"/> did since it was created, per level.</summary>
/// <param name="Levels">The configured levels, fastest first.</param>
/// <param name="FactoryRuns">How often a factory ran (a miss on every level; concurrent misses of one key run it once).</param>
/// <param name="StaleServed">How often an expired entry was served because its factory failed.</param>
public sealed record CacheStatistics(IReadOnlyList<CacheLevelStatistics> Levels, long FactoryRuns, long StaleServed)
{
    /// <summary>The figures of one level, or <see langword="null"/> when it is not configured.</summary>
    /// <param name="level">The level.</param>
    /// <returns>Its figures.</returns>
    public CacheLevelStatistics? For(CacheLevel level) => Levels.FirstOrDefault(l => l.Level == level);
}
