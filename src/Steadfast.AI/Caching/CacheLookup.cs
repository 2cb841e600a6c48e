namespace Steadfast;

/// <summary>What <see cref="SteadfastCache.GetOrCreateEntryAsync{T}"/> found or made.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Level">The level that had it; <see langword="null"/> when the factory made it.</param>
/// <param name="IsStale">Whether the value expired and is served within the stale grace period because the factory failed.</param>
public readonly record struct CacheLookup<T>(T Value, CacheLevel? Level, bool IsStale)
{
    /// <summary>Whether the value came from a cache level rather than the factory.</summary>
    public bool IsHit => Level is not null;
}
