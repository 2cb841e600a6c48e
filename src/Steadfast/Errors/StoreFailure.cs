namespace Steadfast;

/// <summary>What kind of trouble a store is in: decides what an operator must do, and whether trying again can help.</summary>
public enum StoreFailure
{
    /// <summary>Not classified further; the inner exception says more.</summary>
    Unknown,

    /// <summary>The file, directory or server cannot be reached or opened. Trying again later may help.</summary>
    Unavailable,

    /// <summary>The store's data is damaged. Move the file aside (Steadfast then creates a new one) or restore a backup.</summary>
    Corrupt,

    /// <summary>The file, its directory or the server refuses writes. Make them writable for this process.</summary>
    ReadOnly,

    /// <summary>The disk or the server's memory is full. Free space or shorten the retention.</summary>
    Full,

    /// <summary>Another connection or process held the lock longer than the busy timeout. Trying again later may help.</summary>
    Locked,

    /// <summary>The file is not a Steadfast store (another application's database, or not a database at all); it was not modified.</summary>
    Foreign,

    /// <summary>The store was written by a newer Steadfast whose format this one does not understand; it was not modified.</summary>
    Incompatible,

    /// <summary>
    /// There is no Steadfast store at the location (no file, an empty file, a database without tables) and the store was opened
    /// read-only, so nothing was created. Write to it once with a writable store, or point at the right file.
    /// </summary>
    Missing,

    /// <summary>
    /// The store was written by an older Steadfast and was opened read-only, so its format was not upgraded; it was not modified.
    /// Open it once with a writable store (which upgrades it), then read it again.
    /// </summary>
    Outdated,
}
