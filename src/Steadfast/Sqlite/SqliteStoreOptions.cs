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
