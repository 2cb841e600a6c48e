namespace Steadfast;

/// <summary>How hard a SQLite store pushes each commit to the disk (<c>PRAGMA synchronous</c>, in WAL mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// No fsync per commit. A committed transaction survives a process crash; an OS crash or power loss may roll back
    /// the last commits before it, never corrupt the file. Much faster. The default.
    /// </summary>
    Normal,

    /// <summary>Every commit is fsynced: a write that returned survives power loss too.</summary>
    Full,
}
