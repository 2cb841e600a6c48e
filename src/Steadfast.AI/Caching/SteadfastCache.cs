using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Steadfast.AI;
using Steadfast.AI.Caching;
using Steadfast.Caching;

namespace Steadfast;

/// <summary>
/// A general multi-level cache: L1 process memory, L2 a disk store (<see cref="SqliteCacheStore"/>), L3 a distributed cache
/// (<see cref="IDistributedCache"/>, Redis through Microsoft.Extensions.Caching.StackExchangeRedis), each optional. A hit on a slower
/// level is promoted to the faster ones; concurrent misses of a key run its factory once; an entry that expired is served, marked
/// stale, for <see cref="SteadfastCacheOptions.StaleGracePeriod"/> when its factory fails. Namespaces are versioned (a bump
/// invalidates all their entries at once) and can be purged; entries carry tags for <see cref="RemoveByTagAsync"/>.
/// </summary>
public sealed class SteadfastCache : IAsyncDisposable
{
    private readonly SteadfastCacheOptions _options;
    private readonly CacheLevels _levels;
    private readonly NamespaceVersions _versions;
    private readonly TimeProvider _time;
    private readonly FreshnessClock _freshness;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<object?>>> _inFlight = new(StringComparer.Ordinal);
    private long _factoryRuns;
    private long _staleServed;

    /// <summary>Creates the cache. Does no I/O.</summary>
    /// <param name="options">The options; the defaults when <see langword="null"/>. Validated and copied.</param>
    /// <param name="disk">L2, for example a <see cref="SqliteCacheStore"/>; none when <see langword="null"/>. The caller disposes it.</param>
    /// <param name="distributed">L3, for example a Redis cache; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where logs go; nowhere when <see langword="null"/>.</param>
    public SteadfastCache(SteadfastCacheOptions? options = null, ICacheStore? disk = null, IDistributedCache? distributed = null,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        var copy = (options ?? new SteadfastCacheOptions()).Clone();
        copy.Validate();
        _options = copy;
        _time = timeProvider ?? TimeProvider.System;
        _freshness = new FreshnessClock(_time);
        _logger = loggerFactory.CreateRedactingLogger<SteadfastCache>();
        _levels = new CacheLevels(copy, disk, distributed, _freshness, _logger);
        _versions = new NamespaceVersions(disk, distributed, copy.DistributedKeyPrefix);
    }

    /// <summary>Gets the value of a key, or makes it with <paramref name="factory"/> and stores it on every level.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The key, unique within its namespace.</param>
    /// <param name="factory">Makes the value on a miss; run once for concurrent misses of the key.</param>
    /// <param name="options">TTL, namespace and tags; the defaults when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the lookup (a factory already running for other callers goes on).</param>
    /// <returns>The value; an L1 hit completes synchronously and allocates nothing.</returns>
    public ValueTask<T> GetOrCreateAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, SteadfastCacheEntryOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        options ??= Defaults;
        return TryGetFreshFromMemory(key, options.Namespace, out T value) ? new ValueTask<T>(value) : GetOrCreateValueAsync(key, factory, options, cancellationToken);
    }

    /// <summary>Like <see cref="GetOrCreateAsync{T}"/>, and says which level answered and whether the value is stale.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The key, unique within its namespace.</param>
    /// <param name="factory">Makes the value on a miss.</param>
    /// <param name="options">TTL, namespace and tags.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The value, its level, and whether it is stale; an L1 hit completes synchronously and allocates nothing.</returns>
    /// <exception cref="Exception">The factory's exception, when no entry within its grace period is left to serve.</exception>
    public ValueTask<CacheLookup<T>> GetOrCreateEntryAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory,
        SteadfastCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);
        options ??= Defaults;
        return TryGetFreshFromMemory(key, options.Namespace, out T value)
            ? new ValueTask<CacheLookup<T>>(new CacheLookup<T>(value, CacheLevel.Memory, false))
            : LookupAsync(key, factory, options, cancellationToken);
    }

    private async ValueTask<T> GetOrCreateValueAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, SteadfastCacheEntryOptions options,
        CancellationToken cancellationToken) =>
        (await LookupAsync(key, factory, options, cancellationToken).ConfigureAwait(false)).Value;

    /// <summary>
    /// The hit path, before any <c>await</c>: one L1 lookup with no composed key (see <see cref="MemoryKey"/>), the namespace's
    /// version compared with the entry's, the tag check (a flag while no tag was ever invalidated) and the expiry on the
    /// <see cref="FreshnessClock"/> (conservative: an entry near its expiry is left to the full way). Anything else
    /// (a miss, a stale or older-version entry, a namespace not loaded yet) goes the full way, which looks again.
    /// </summary>
    private bool TryGetFreshFromMemory<T>(string key, string ns, out T value)
    {
        if (_levels.GetMemory(ns, key) is { } m && _versions.TryGetCurrent(ns, out var version) && m.Version == version
            && _freshness.Now() is var now && m.FreshUntil > now && !_levels.InvalidatedByTag(m.Tags, m.CreatedAt))
        {
            m.Touch(now);
            _levels.Memory!.Hit();
            value = (T)m.Value!;
            return true;
        }

        value = default!;
        return false;
    }

    private async ValueTask<CacheLookup<T>> LookupAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, SteadfastCacheEntryOptions options,
        CancellationToken cancellationToken)
    {
        var (stored, version) = await StoredKeyAsync(options.Namespace, key, cancellationToken).ConfigureAwait(false);
        var found = await FindAsync<T>(stored, key, version, options.Namespace, cancellationToken).ConfigureAwait(false);
        if (found.Fresh is { } fresh)
        {
            return fresh;
        }

        // GetOrAdd may build a value it then discards; only the published Lazy's factory ever runs.
        var run = _inFlight.GetOrAdd(stored, _ => new Lazy<Task<object?>>(() => RunFactoryAsync(stored, key, version, factory, options)));
        try
        {
            var value = await run.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new CacheLookup<T>((T)value!, null, false);
        }
        catch (Exception e) when (e is not OperationCanceledException && found.Stale is { } stale)
        {
            Interlocked.Increment(ref _staleServed);
            Log.ServedStale(_logger, key, found.StaleFor, e);
            return stale;
        }
    }

    /// <summary>Stores a value on every level.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">TTL, namespace and tags.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when every level has it.</returns>
    public async ValueTask SetAsync<T>(string key, T value, SteadfastCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        options ??= Defaults;
        var (stored, version) = await StoredKeyAsync(options.Namespace, key, cancellationToken).ConfigureAwait(false);
        await StoreAsync(stored, key, version, value, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a key from every level.</summary>
    /// <param name="key">The key.</param>
    /// <param name="ns">Its namespace.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when every level dropped it.</returns>
    public async ValueTask RemoveAsync(string key, string ns = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (stored, _) = await StoredKeyAsync(ns, key, cancellationToken).ConfigureAwait(false);
        await _levels.RemoveAsync(ns, key, stored, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Invalidates every entry with the tag: removed from L1 and L2; on L3, entries made before now read as misses in this process.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>How many L1 and L2 entries were removed.</returns>
    public ValueTask<int> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return _levels.RemoveByTagAsync(tag, _time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Bumps a namespace's version: every entry stored under an older version is a miss from now on, on every level.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new version.</returns>
    public ValueTask<long> BumpNamespaceVersionAsync(string ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return _versions.BumpAsync(ns, cancellationToken);
    }

    /// <summary>Purges a namespace: bumps its version and deletes its entries from L1 and L2 (L3 entries become unreachable and expire).</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the purge.</param>
    /// <returns>How many L1 and L2 entries were deleted.</returns>
    public async ValueTask<int> PurgeNamespaceAsync(string ns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        await _versions.BumpAsync(ns, cancellationToken).ConfigureAwait(false);
        var removed = _levels.RemoveMemoryWhere(e => e.Namespace == ns);
        if (_levels.DiskStore is { } disk)
        {
            removed += await disk.RemoveNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
        }

        return removed;
    }

    /// <summary>Removes from L2 the entries past their grace period, counted as evictions.</summary>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>How many were removed.</returns>
    public async ValueTask<int> RemoveExpiredAsync(CancellationToken cancellationToken = default)
    {
        if (_levels.DiskStore is not { } disk)
        {
            return 0;
        }

        var removed = await disk.RemoveExpiredAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _levels.Disk!.Evicted(removed);
        return removed;
    }

    /// <summary>The counters of every level (L1's entry count; L2's size needs I/O, see <see cref="GetStatisticsAsync"/>).</summary>
    /// <returns>The figures.</returns>
    public CacheStatistics GetStatistics() => Statistics(null);

    /// <summary>The counters of every level, with L2's entry count and bytes read from its store.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The figures.</returns>
    public async ValueTask<CacheStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        CacheStoreSize? size = null;
        if (_levels.DiskStore is { } disk)
        {
            try
            {
                size = await disk.GetSizeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StoreException)
            {
                _levels.Disk!.Error();
            }
        }

        return Statistics(size);
    }

    /// <summary>Releases L1's entries. The disk store and the distributed cache belong to the caller.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _levels.RemoveMemoryWhere(static _ => true);
        return ValueTask.CompletedTask;
    }

    private static readonly SteadfastCacheEntryOptions Defaults = new();

    private CacheStatistics Statistics(CacheStoreSize? disk)
    {
        var levels = new List<CacheLevelStatistics>(3);
        if (_levels.Memory is { } memory)
        {
            levels.Add(memory.Snapshot(_levels.MemoryCount, null));
        }

        if (_levels.Disk is { } d)
        {
            levels.Add(d.Snapshot(disk?.Entries, disk?.Bytes));
        }

        if (_levels.Distributed is { } distributed)
        {
            levels.Add(distributed.Snapshot(null, null));
        }

        return new CacheStatistics(levels, Interlocked.Read(ref _factoryRuns), Interlocked.Read(ref _staleServed));
    }

    /// <summary>The key on L2 and L3 (namespace, version, key: a bump makes old entries unreachable there) and the version.</summary>
    private async ValueTask<(string Stored, long Version)> StoredKeyAsync(string ns, string key, CancellationToken cancellationToken)
    {
        var version = await _versions.GetAsync(ns, cancellationToken).ConfigureAwait(false);
        return (string.Create(CultureInfo.InvariantCulture, $"{ns}{CacheConstants.KeySeparator}{version}{CacheConstants.KeySeparator}{key}"), version);
    }

    private async ValueTask<Found<T>> FindAsync<T>(string stored, string key, long version, string ns, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var result = default(Found<T>);
        if (_levels.GetMemory(ns, key) is { } m && m.Version == version && !_levels.InvalidatedByTag(m.Tags, m.CreatedAt) && m.StaleUntil > now)
        {
            if (m.ExpiresAt > now)
            {
                m.Touch(_freshness.Now());
                _levels.Memory!.Hit();
                return new Found<T>(new CacheLookup<T>((T)m.Value!, CacheLevel.Memory, false), null, default);
            }

            result = new Found<T>(null, new CacheLookup<T>((T)m.Value!, CacheLevel.Memory, true), now - m.ExpiresAt);
        }

        _levels.Memory?.Miss();
        var disk = await _levels.GetDiskAsync(stored, cancellationToken).ConfigureAwait(false);
        if (Usable(disk, now) is { } fromDisk)
        {
            if (fromDisk.ExpiresAt > now)
            {
                _levels.Disk!.Hit();
                var value = CacheSerializer.Deserialize<T>(fromDisk.Value, _options.JsonSerializerOptions);
                _levels.SetMemory(key, new MemoryEntry(value, version, fromDisk.CreatedAt, fromDisk.ExpiresAt, fromDisk.StaleUntil, fromDisk.Tags, ns,
                    _freshness.FreshUntil(fromDisk.ExpiresAt, now)));
                return new Found<T>(new CacheLookup<T>(value, CacheLevel.Disk, false), null, default);
            }

            result = result.Stale is null ? StaleFrom<T>(fromDisk, CacheLevel.Disk, now) : result;
        }

        _levels.Disk?.Miss();
        var remote = await _levels.GetDistributedAsync(stored, ns, cancellationToken).ConfigureAwait(false);
        if (Usable(remote, now) is { } fromRemote)
        {
            if (fromRemote.ExpiresAt > now)
            {
                _levels.Distributed!.Hit();
                var value = CacheSerializer.Deserialize<T>(fromRemote.Value, _options.JsonSerializerOptions);
                _levels.SetMemory(key, new MemoryEntry(value, version, fromRemote.CreatedAt, fromRemote.ExpiresAt, fromRemote.StaleUntil, fromRemote.Tags, ns,
                    _freshness.FreshUntil(fromRemote.ExpiresAt, now)));
                await _levels.SetBytesAsync(fromRemote, disk: true, distributed: false, cancellationToken).ConfigureAwait(false);
                return new Found<T>(new CacheLookup<T>(value, CacheLevel.Distributed, false), null, default);
            }

            result = result.Stale is null ? StaleFrom<T>(fromRemote, CacheLevel.Distributed, now) : result;
        }

        _levels.Distributed?.Miss();
        return result;
    }

    private CacheStoreEntry? Usable(CacheStoreEntry? entry, DateTimeOffset now) =>
        entry is not null && entry.StaleUntil > now && !_levels.InvalidatedByTag(entry.Tags, entry.CreatedAt) ? entry : null;

    private Found<T> StaleFrom<T>(CacheStoreEntry entry, CacheLevel level, DateTimeOffset now) =>
        new(null, new CacheLookup<T>(CacheSerializer.Deserialize<T>(entry.Value, _options.JsonSerializerOptions), level, true), now - entry.ExpiresAt);

    private async Task<object?> RunFactoryAsync<T>(string stored, string key, long version, Func<CancellationToken, ValueTask<T>> factory,
        SteadfastCacheEntryOptions options)
    {
        try
        {
            Interlocked.Increment(ref _factoryRuns);

            // The factory serves every caller waiting on the key, so no single caller's token cancels it.
            var value = await factory(CancellationToken.None).ConfigureAwait(false);
            await StoreAsync(stored, key, version, value, options, CancellationToken.None).ConfigureAwait(false);
            return value;
        }
        finally
        {
            _inFlight.TryRemove(stored, out _);
        }
    }

    private async ValueTask StoreAsync<T>(string stored, string key, long version, T value, SteadfastCacheEntryOptions options, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var expires = now + (options.TimeToLive ?? _options.DefaultTimeToLive);
        var staleUntil = expires + _options.StaleGracePeriod;
        var tags = options.Tags.Count == 0 ? [] : options.Tags.ToArray();
        _levels.SetMemory(key, new MemoryEntry(value, version, now, expires, staleUntil, tags, options.Namespace, _freshness.FreshUntil(expires, now)));
        if (_levels.HasBytesLevels)
        {
            byte[] bytes;
            try
            {
                bytes = CacheSerializer.Serialize(value, _options.JsonSerializerOptions);
            }
#pragma warning disable CA1031 // A value that cannot be serialized stays in L1 only; the caller still gets it.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                _levels.Disk?.Error();
                _levels.Distributed?.Error();
                Log.CacheSerializationFailed(_logger, typeof(T).Name, e);
                return;
            }

            await _levels.SetBytesAsync(new CacheStoreEntry(stored, options.Namespace, bytes, now, expires, staleUntil, tags), disk: true, distributed: true, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private readonly record struct Found<T>(CacheLookup<T>? Fresh, CacheLookup<T>? Stale, TimeSpan StaleFor);
}
