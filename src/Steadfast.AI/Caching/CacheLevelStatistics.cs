namespace Steadfast;

/// <summary>One level's figures in <see cref="CacheStatistics"/>.</summary>
/// <param name="Level">The level.</param>
/// <param name="Hits">Lookups the level answered (fresh or, after a factory failure, stale).</param>
/// <param name="Misses">Lookups the level could not answer.</param>
/// <param name="Entries">Entries held now; <see langword="null"/> when the level cannot say (a distributed cache).</param>
/// <param name="SizeBytes">Bytes held now; <see langword="null"/> when unknown (L1 holds objects; a distributed cache cannot say).</param>
/// <param name="Evictions">Entries removed to make room or because they expired past their grace period.</param>
/// <param name="Errors">Reads and writes of the level that failed (the cache went on without it).</param>
public sealed record CacheLevelStatistics(CacheLevel Level, long Hits, long Misses, long? Entries, long? SizeBytes, long Evictions, long Errors)
{
    /// <summary>Hits over lookups (0 when there were none).</summary>
    public double HitRate => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
