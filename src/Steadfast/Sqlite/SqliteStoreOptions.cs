namespace Steadfast;

/// <summary>Where and how a SQLite store keeps its data. Every SQLite store takes these same options.</summary>
/// <remarks>
/// Several stores may share one file (the engine keeps learning and circuits together): stores in one process that
/// name the same file with the same settings share one writer connection, so they never wait for each other's locks.
/// Steadfast marks the files it creates (<c>PRAGMA application_id</c>) and refuses, without writing a byte, any file
/// that is not its own (<see cref="StoreFailure.Foreign"/>).
/// </remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>The shortest allowed <see cref="BusyTimeout"/>.</summary>
    private static readonly TimeSpan MinBusyTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The longest allowed <see cref="BusyTimeout"/>.</summary>
    private static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The file a store uses when no path is given: <c>data/failures.db</c>, relative to the current directory.</summary>
    public static string DefaultPath => "data/failures.db";

    /// <summary>The database file; relative paths are resolved against the current directory. Its directory is created on first write.</summary>
    /// <value>The default is <c>data/failures.db</c>.</value>
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long a write waits for another connection's (or process's) lock before failing with <see cref="StoreFailure.Locked"/>.</summary>
    /// <value>The default is 5 seconds; 1 second to 10 minutes.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How hard each commit is pushed to the disk.</summary>
    /// <value>The default is <see cref="SqliteSynchronousMode.Normal"/>: survives a process crash; see <see cref="SqliteSynchronousMode"/>.</value>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Normal;

    /// <summary>
    /// Whether the store only reads: it never creates the file or its directory, never claims, migrates or changes the file
    /// (no schema, no journal-mode change, no mark), and its writes throw <see cref="StoreException"/> of kind
    /// <see cref="StoreFailure.ReadOnly"/>. A missing or empty file is <see cref="StoreFailure.Missing"/>; a file of an older
    /// Steadfast whose tables need upgrading is <see cref="StoreFailure.Outdated"/>; a store whose tables are not in the file
    /// yet (a circuit store on a file that only holds learning) reads as empty.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    /// <remarks>
    /// The file is opened for reading and writing but written by nobody (<c>PRAGMA query_only</c>): unlike SQLite's read-only
    /// open, this lets SQLite remove the <c>-wal</c> and <c>-shm</c> files it needs to read a WAL database when the last
    /// connection closes, so a read leaves the directory as it found it. A file the process may not write is read all the same.
    /// </remarks>
    public bool ReadOnly { get; set; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException"><see cref="Path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Guard.NotNullOrWhiteSpace(Path, nameof(SqliteStoreOptions));
        Guard.InRange(BusyTimeout, MinBusyTimeout, MaxBusyTimeout, nameof(SqliteStoreOptions));
        Guard.That(Enum.IsDefined(Synchronous), Synchronous, "must be Normal or Full", nameof(SqliteStoreOptions));
    }

    /// <summary>A copy whose changes do not affect this one.</summary>
    /// <returns>The copy.</returns>
    public SqliteStoreOptions Clone() => (SqliteStoreOptions)MemberwiseClone();
}
