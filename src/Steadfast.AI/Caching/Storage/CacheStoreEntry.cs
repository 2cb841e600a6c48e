namespace Steadfast.Caching;

/// <summary>One entry of an <see cref="ICacheStore"/>: serialized bytes with their times and tags.</summary>
/// <param name="Key">The stored key (namespace, version and key, as <see cref="SteadfastCache"/> composes it).</param>
/// <param name="Namespace">The entry's namespace, for a purge.</param>
/// <param name="Value">The serialized value.</param>
/// <param name="CreatedAt">When the value was made (tag invalidations before it do not apply).</param>
/// <param name="ExpiresAt">When it stops being fresh.</param>
/// <param name="StaleUntil">Until when it may be served stale after a factory failure; the store may drop it after that.</param>
/// <param name="Tags">The entry's tags.</param>
public sealed record CacheStoreEntry(string Key, string Namespace, byte[] Value, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset StaleUntil,
    IReadOnlyList<string> Tags);
