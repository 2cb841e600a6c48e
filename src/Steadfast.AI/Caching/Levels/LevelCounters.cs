namespace Steadfast.AI.Caching;

/// <summary>One level's counters, updated without locks from any thread.</summary>
internal sealed class LevelCounters(CacheLevel level)
{
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _errors;

    public CacheLevel Level { get; } = level;

    public void Hit() => Interlocked.Increment(ref _hits);

    public void Miss() => Interlocked.Increment(ref _misses);

    public void Evicted(long count = 1) => Interlocked.Add(ref _evictions, count);

    public void Error() => Interlocked.Increment(ref _errors);

    public CacheLevelStatistics Snapshot(long? entries, long? bytes) =>
        new(Level, Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), entries, bytes, Interlocked.Read(ref _evictions), Interlocked.Read(ref _errors));
}
