namespace Steadfast.AI.Caching;

/// <summary>
/// The L1 key of an entry in a non-empty namespace: the namespace and the caller's key, compared by value, so a lookup never
/// builds a composed string. (Entries of the empty namespace are keyed by the caller's string itself, in their own dictionary of
/// <see cref="MemoryLevel"/>, so the two never collide.) The namespace's version is not part of the key but of the entry: a bump
/// turns old entries into misses.
/// </summary>
internal sealed class MemoryKey : IEquatable<MemoryKey>
{
    // One reusable probe per thread: a lookup only compares the key, never keeps it, so a hit allocates nothing.
    [ThreadStatic]
    private static MemoryKey? _probe;

    private string _namespace;
    private string _key;
    private int _hash;

    public MemoryKey(string ns, string key)
    {
        _namespace = ns;
        _key = key;
        _hash = HashOf(ns, key);
    }

    /// <summary>The key for a lookup: this thread's probe set to (ns, key); never to be stored.</summary>
    public static MemoryKey Probe(string ns, string key)
    {
        var probe = _probe ??= new MemoryKey(ns, key);
        probe._namespace = ns;
        probe._key = key;
        probe._hash = HashOf(ns, key);
        return probe;
    }

    public bool Equals(MemoryKey? other) =>
        other is not null && _hash == other._hash && string.Equals(_key, other._key, StringComparison.Ordinal)
        && string.Equals(_namespace, other._namespace, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is MemoryKey other && Equals(other);

    public override int GetHashCode() => _hash;

    private static int HashOf(string ns, string key) => HashCode.Combine(StringComparer.Ordinal.GetHashCode(ns), StringComparer.Ordinal.GetHashCode(key));
}
