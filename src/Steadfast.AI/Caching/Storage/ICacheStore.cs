namespace Steadfast.Caching;

/// <summary>
/// The contract of <see cref="SteadfastCache"/>'s disk level (L2): <see cref="SqliteCacheStore"/> implements it in a Steadfast
/// SQLite file. Failures are <see cref="StoreException"/>s; the cache goes on without the level when one is thrown. No constructor
/// of an implementation does I/O.
/// </summary>
public interface ICacheStore : IAsyncDisposable
{
    /// <summary>Reads an entry.</summary>
    /// <param name="key">The stored key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when there is none.</returns>
    ValueTask<CacheStoreEntry?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Writes an entry, replacing one with the same key.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    ValueTask SetAsync(CacheStoreEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes an entry.</summary>
    /// <param name="key">The stored key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was one.</returns>
    ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry with the tag.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many entries were removed.</returns>
    ValueTask<int> RemoveByTagAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry of a namespace.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many entries were removed.</returns>
    ValueTask<int> RemoveNamespaceAsync(string ns, CancellationToken cancellationToken = default);

    /// <summary>Removes entries whose stale period ended before <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many entries were removed.</returns>
    ValueTask<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads a namespace's version.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version, or 0 when none was stored.</returns>
    ValueTask<long> GetNamespaceVersionAsync(string ns, CancellationToken cancellationToken = default);

    /// <summary>Stores a namespace's version.</summary>
    /// <param name="ns">The namespace.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the version is stored.</returns>
    ValueTask SetNamespaceVersionAsync(string ns, long version, CancellationToken cancellationToken = default);

    /// <summary>How much the store holds.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Entries and bytes.</returns>
    ValueTask<CacheStoreSize> GetSizeAsync(CancellationToken cancellationToken = default);
}
