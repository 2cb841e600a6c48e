using System.Collections.Concurrent;

namespace Steadfast.AI.Caching;

/// <summary>
/// L1: the entries of this process, bounded by count, least recently used evicted first. Two dictionaries, one keyed by the
/// caller's string (the empty namespace, the commonest) and one by <see cref="MemoryKey"/>, so a lookup never composes a key.
/// </summary>
/// <remarks>
/// Not a <c>MemoryCache</c>: a <c>MemoryCache</c> hit reads the wall clock and writes the entry's access time (about 30 ns, two
/// thirds of HybridCache's whole L1 hit), and our entries need neither: freshness is checked on the <see cref="FreshnessClock"/>
/// the caller already read, and expired entries are kept on purpose (stale-on-error). Recency is that clock's millisecond, written
/// only when it changed, so a hot entry read from many threads is not one contended cache line. Eviction runs on the writing
/// thread when the count passes the capacity (one thread at a time) and frees a tenth of it, oldest use first.
/// </remarks>
internal sealed class MemoryLevel(int capacity, FreshnessClock clock, LevelCounters counters)
{
    // Evicting down to 90 % of the capacity leaves room for a run of writes before the next sort (MemoryCache's CompactionPercentage).
    private const double CompactTo = 0.9;

    private readonly ConcurrentDictionary<string, MemoryEntry> _plain = new();
    private readonly ConcurrentDictionary<MemoryKey, MemoryEntry> _named = new();
    private long _count;
    private int _compacting;

    /// <summary>How many entries it holds.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The entry of (namespace, key), of any version; allocates nothing.</summary>
    public MemoryEntry? Get(string ns, string key) =>
        (ns.Length == 0 ? _plain.TryGetValue(key, out var entry) : _named.TryGetValue(MemoryKey.Probe(ns, key), out entry)) ? entry : null;

    /// <summary>Stores the entry of (its namespace, key), replacing any other; evicts the least recently used past the capacity.</summary>
    public void Set(string key, MemoryEntry entry)
    {
        entry.Touch(clock.Now());
        var added = entry.Namespace.Length == 0 ? Upsert(_plain, key, entry) : Upsert(_named, new MemoryKey(entry.Namespace, key), entry);
        if (added && Interlocked.Increment(ref _count) > capacity)
        {
            Compact();
        }
    }

    /// <summary>Removes the entry of (namespace, key), if any.</summary>
    public void Remove(string ns, string key)
    {
        if (ns.Length == 0 ? _plain.TryRemove(key, out _) : _named.TryRemove(new MemoryKey(ns, key), out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Removes every entry the predicate selects (a tag or namespace purge: L1 is small enough to scan).</summary>
    /// <returns>How many were removed.</returns>
    public int RemoveWhere(Func<MemoryEntry, bool> predicate) => RemoveWhere(_plain, predicate) + RemoveWhere(_named, predicate);

    /// <returns>Whether the key was added (not replaced).</returns>
    private static bool Upsert<TKey>(ConcurrentDictionary<TKey, MemoryEntry> entries, TKey key, MemoryEntry entry)
        where TKey : notnull
    {
        // Add and replace told apart exactly, so the count stays true under races (the indexer cannot say which it did).
        while (true)
        {
            if (entries.TryGetValue(key, out var old))
            {
                if (entries.TryUpdate(key, entry, old))
                {
                    return false;
                }
            }
            else if (entries.TryAdd(key, entry))
            {
                return true;
            }
        }
    }

    private int RemoveWhere<TKey>(ConcurrentDictionary<TKey, MemoryEntry> entries, Func<MemoryEntry, bool> predicate)
        where TKey : notnull
    {
        var removed = 0;
        foreach (var pair in entries)
        {
            // Removes only the entry the predicate saw: one written since stays.
            if (predicate(pair.Value) && entries.TryRemove(pair))
            {
                Interlocked.Decrement(ref _count);
                removed++;
            }
        }

        return removed;
    }

    private void Compact()
    {
        // One thread sorts at a time; a writer that found it busy leaves its excess to it, and the release is a full fence
        // before the count is read again, so that excess is seen and no write leaves the level past its capacity.
        while (Count > capacity && Interlocked.Exchange(ref _compacting, 1) == 0)
        {
            try
            {
                EvictLeastRecentlyUsed(Count - (long)(capacity * CompactTo));
            }
            finally
            {
                Interlocked.Exchange(ref _compacting, 0);
            }
        }
    }

    private void EvictLeastRecentlyUsed(long excess)
    {
        var oldest = new List<(long LastUsed, object Key, MemoryEntry Entry)>(_plain.Count + _named.Count);
        oldest.AddRange(_plain.Select(p => (p.Value.LastUsed, (object)p.Key, p.Value)));
        oldest.AddRange(_named.Select(p => (p.Value.LastUsed, (object)p.Key, p.Value)));
        oldest.Sort(static (a, b) => a.LastUsed.CompareTo(b.LastUsed));
        var evicted = 0L;
        foreach (var (_, key, entry) in oldest)
        {
            if (evicted >= excess)
            {
                break;
            }

            // Removes only the entry that was sorted: one written since is newer and stays.
            var gone = key is string plain ? _plain.TryRemove(KeyValuePair.Create(plain, entry)) : _named.TryRemove(KeyValuePair.Create((MemoryKey)key, entry));
            if (gone)
            {
                Interlocked.Decrement(ref _count);
                evicted++;
            }
        }

        counters.Evicted(evicted);
    }
}
