namespace Steadfast.AI.Caching;

/// <summary>An L1 entry: the value itself (no serialization on a memory hit) with its namespace version, times and tags.</summary>
internal sealed record MemoryEntry(object? Value, long Version, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset StaleUntil,
    IReadOnlyList<string> Tags, string Namespace);
