namespace Steadfast.AI.Caching;

/// <summary>
/// An L1 entry: the value itself (no serialization on a memory hit) with its namespace version, times and tags, and
/// <paramref name="FreshUntil"/>, the hit path's deadline on the <see cref="FreshnessClock"/>.
/// </summary>
internal sealed record MemoryEntry(object? Value, long Version, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset StaleUntil,
    IReadOnlyList<string> Tags, string Namespace, long FreshUntil)
{
    /// <summary>When it was last served or stored, on the <see cref="FreshnessClock"/>: the order of eviction.</summary>
    public long LastUsed { get; private set; }

    /// <summary>Records a use at <paramref name="now"/>; writes only when the millisecond changed (a hot entry stays unshared).</summary>
    public void Touch(long now)
    {
        if (LastUsed != now)
        {
            LastUsed = now;
        }
    }
}
