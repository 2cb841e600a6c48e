namespace Steadfast.Caching;

/// <summary>How much an <see cref="ICacheStore"/> holds.</summary>
/// <param name="Entries">Entries held.</param>
/// <param name="Bytes">Bytes of values held.</param>
public readonly record struct CacheStoreSize(long Entries, long Bytes);
