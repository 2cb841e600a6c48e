namespace Steadfast;

/// <summary>The levels of a <see cref="SteadfastCache"/>, fastest first.</summary>
public enum CacheLevel
{
    /// <summary>L1: process memory.</summary>
    Memory = 1,

    /// <summary>L2: a local disk store (SQLite by default).</summary>
    Disk = 2,

    /// <summary>L3: a distributed cache (<c>IDistributedCache</c>, for example Redis).</summary>
    Distributed = 3,
}
