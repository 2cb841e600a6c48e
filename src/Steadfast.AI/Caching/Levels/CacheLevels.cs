using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Steadfast.Caching;

namespace Steadfast.AI.Caching;

/// <summary>
/// The three levels behind one interface: reads fastest first with per-level counters, writes to every level, removal by key,
/// tag and namespace. A level that fails is counted and logged and skipped for that call: a cache outage never fails a lookup.
/// </summary>
internal sealed class CacheLevels
{
    private readonly MemoryLevel? _memory;
    private readonly ICacheStore? _disk;
    private readonly IDistributedCache? _distributed;
    private readonly SteadfastCacheOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tagInvalidations = new(StringComparer.Ordinal);

    // ConcurrentDictionary.IsEmpty takes every lock when the dictionary is empty: a flag keeps tag checks off a hit's path.
    private volatile bool _anyTagInvalidated;

    public CacheLevels(SteadfastCacheOptions options, ICacheStore? disk, IDistributedCache? distributed, FreshnessClock clock, ILogger logger)
    {
        _options = options;
        _disk = disk;
        _distributed = distributed;
        _logger = logger;
        if (options.UseMemory)
        {
            Memory = new LevelCounters(CacheLevel.Memory);
            _memory = new MemoryLevel(options.MaxMemoryEntries, clock, Memory);
        }

        Disk = disk is null ? null : new LevelCounters(CacheLevel.Disk);
        Distributed = distributed is null ? null : new LevelCounters(CacheLevel.Distributed);
    }

    public LevelCounters? Memory { get; }

    public LevelCounters? Disk { get; }

    public LevelCounters? Distributed { get; }

    public ICacheStore? DiskStore => _disk;

    public bool HasBytesLevels => _disk is not null || _distributed is not null;

    public long MemoryCount => _memory?.Count ?? 0;

    /// <summary>The L1 entry of (namespace, key), of any version; allocates nothing.</summary>
    public MemoryEntry? GetMemory(string ns, string key) => _memory?.Get(ns, key);

    /// <summary>Stores the L1 entry of (its namespace, <paramref name="key"/>), replacing any older version's.</summary>
    public void SetMemory(string key, MemoryEntry entry) => _memory?.Set(key, entry);

    public void RemoveMemory(string ns, string key) => _memory?.Remove(ns, key);

    /// <summary>Removes from L1 every entry the predicate selects.</summary>
    public int RemoveMemoryWhere(Func<MemoryEntry, bool> predicate) => _memory?.RemoveWhere(predicate) ?? 0;

    public async ValueTask<CacheStoreEntry?> GetDiskAsync(string key, CancellationToken cancellationToken)
    {
        if (_disk is null)
        {
            return null;
        }

        try
        {
            return await _disk.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException e)
        {
            Failed(Disk!, e);
            return null;
        }
    }

    public async ValueTask<CacheStoreEntry?> GetDistributedAsync(string key, string ns, CancellationToken cancellationToken)
    {
        if (_distributed is null)
        {
            return null;
        }

        try
        {
            var bytes = await _distributed.GetAsync(_options.DistributedKeyPrefix + key, cancellationToken).ConfigureAwait(false);
            return bytes is null ? null : CacheEnvelope.Decode(key, ns, bytes);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(Distributed!, e);
            return null;
        }
    }

    public async ValueTask SetBytesAsync(CacheStoreEntry entry, bool disk, bool distributed, CancellationToken cancellationToken)
    {
        if (disk && _disk is not null)
        {
            try
            {
                await _disk.SetAsync(entry, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                Failed(Disk!, e);
            }
        }

        if (distributed && _distributed is not null)
        {
            try
            {
                await _distributed.SetAsync(_options.DistributedKeyPrefix + entry.Key, CacheEnvelope.Encode(entry),
                    new DistributedCacheEntryOptions { AbsoluteExpiration = entry.StaleUntil }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(Distributed!, e);
            }
        }
    }

    /// <summary>Removes (namespace, key) from L1 and its stored key (namespace, version, key) from L2 and L3.</summary>
    public async ValueTask RemoveAsync(string ns, string userKey, string key, CancellationToken cancellationToken)
    {
        RemoveMemory(ns, userKey);
        if (_disk is not null)
        {
            try
            {
                await _disk.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                Failed(Disk!, e);
            }
        }

        if (_distributed is not null)
        {
            try
            {
                await _distributed.RemoveAsync(_options.DistributedKeyPrefix + key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(Distributed!, e);
            }
        }
    }

    /// <summary>Invalidates a tag: L1 and L2 entries are removed; L3 entries made before now read as misses (L3 cannot be searched by tag).</summary>
    public async ValueTask<int> RemoveByTagAsync(string tag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _tagInvalidations[tag] = now;
        _anyTagInvalidated = true;
        var removed = RemoveMemoryWhere(e => e.Tags.Contains(tag, StringComparer.Ordinal));
        if (_disk is not null)
        {
            try
            {
                removed += await _disk.RemoveByTagAsync(tag, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException e)
            {
                Failed(Disk!, e);
            }
        }

        return removed;
    }

    /// <summary>Whether a tag invalidation made at or after the entry was created applies to it.</summary>
    public bool InvalidatedByTag(IReadOnlyList<string> tags, DateTimeOffset createdAt)
    {
        if (!_anyTagInvalidated || tags.Count == 0)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (_tagInvalidations.TryGetValue(tag, out var at) && at >= createdAt)
            {
                return true;
            }
        }

        return false;
    }

    private void Failed(LevelCounters level, Exception e)
    {
        level.Error();
        Log.CacheLevelFailed(_logger, level.Level, e);
    }
}
