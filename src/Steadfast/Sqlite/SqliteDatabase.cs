using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Steadfast.Telemetry;

namespace Steadfast.Storage.Sqlite;

/// <summary>
/// One Steadfast SQLite file: opens connections with the pragmas every connection needs, creates and migrates
/// the schema on first use, and turns SQLite errors into <see cref="FailureStoreException"/>s that name the file
/// and say what to do. Shared by <see cref="SqliteFailureStore"/> and <see cref="SqliteCircuitStateStore"/>.
/// </summary>
/// <remarks>
/// WAL lets readers and one writer work at once, also across processes; <c>synchronous=NORMAL</c> in WAL mode
/// keeps the database consistent after a process crash or power loss (no corruption, and every committed
/// transaction survives a process crash) but a power loss or OS crash may roll back the last transactions
/// committed before it. The busy timeout makes a second process wait for the write lock instead of failing.
/// If initialisation fails (unreachable, read-only, corrupt), the next call tries again.
/// </remarks>
internal sealed class SqliteDatabase
{
    /// <summary>How long a connection waits for another writer's lock before failing, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _initLock = new();
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly int _busyTimeoutMilliseconds;
    private volatile bool _initialized;

    public SqliteDatabase(string path, ILoggerFactory? loggerFactory, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var busy = busyTimeout ?? DefaultBusyTimeout;
        if (busy < TimeSpan.FromSeconds(1) || busy > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(busyTimeout), busy, $"busyTimeout must be between 00:00:01 and 00:10:00; was {busy}.");
        }

        _busyTimeoutMilliseconds = (int)busy.TotalMilliseconds;
        Path = System.IO.Path.GetFullPath(path);
        _logger = (ILogger?)loggerFactory?.CreateLogger("Steadfast.Storage.Sqlite") ?? NullLogger.Instance;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // The driver retries SQLITE_BUSY itself for this many seconds; busy_timeout below does the same inside SQLite.
            DefaultTimeout = (int)Math.Ceiling(busy.TotalSeconds),
        }.ToString();
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>The schema version this code writes; migrations bring older files up to it.</summary>
    public static int CurrentVersion => SqliteSchema.Migrations.Length;

    public ILogger Logger => _logger;

    /// <summary>Runs <paramref name="work"/> on an open connection, translating storage errors.</summary>
    public T Run<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            EnsureInitialized();
            using var connection = Open();
            return work(connection);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or FailureStoreException)
        {
            throw Translate(ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> inside one immediate (write-locking) transaction.</summary>
    public T RunInTransaction<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        Run(
            connection =>
            {
                using var tx = connection.BeginTransaction(deferred: false);
                var result = work(connection, tx);
                tx.Commit();
                return result;
            },
            cancellationToken);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            SqliteConnectionFactory.ApplyConnectionPragmas(connection, _busyTimeoutMilliseconds, synchronousFull: false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }

        lock (_initLock)
        {
            if (_initialized)
            {
                return;
            }

            SqliteConnectionFactory.EnsureDirectory(Path);
            using var connection = Open();
            string journalMode;
            using (var wal = connection.CreateCommand())
            {
                // Persistent in the file: set once, every later connection (any process) is in WAL mode.
                wal.CommandText = "PRAGMA journal_mode=WAL;";
                journalMode = Convert.ToString(wal.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "?";
            }

            var (from, to) = Migrate(connection);
            if (from != to)
            {
                Log.SchemaMigrated(_logger, Path, from, to);
            }

            Log.DatabaseOpened(_logger, Path, journalMode, to);
            _initialized = true;
        }
    }

    private (int From, int To) Migrate(SqliteConnection connection)
    {
        // BEGIN IMMEDIATE: two processes starting on a new file migrate one after the other, never both.
        using var tx = connection.BeginTransaction(deferred: false);
        Execute(connection, tx, SqliteSchema.VersionTable);
        using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT version FROM schema_version WHERE id = 1;";
        var from = read.ExecuteScalar() is long v ? (int)v : 0;
        if (from > CurrentVersion)
        {
            throw new FailureStoreException(
                Path,
                $"SQLite failure store '{Path}' has schema version {from}, newer than this Steadfast understands ({CurrentVersion}). Upgrade Steadfast or point dbPath at another file.",
                null);
        }

        for (var version = from; version < CurrentVersion; version++)
        {
            Execute(connection, tx, SqliteSchema.Migrations[version]);
        }

        if (from != CurrentVersion)
        {
            using var write = connection.CreateCommand();
            write.Transaction = tx;
            write.CommandText = "INSERT INTO schema_version(id, version) VALUES (1, $v) ON CONFLICT(id) DO UPDATE SET version = excluded.version;";
            write.Parameters.AddWithValue("$v", CurrentVersion);
            write.ExecuteNonQuery();
        }

        tx.Commit();
        return (from, CurrentVersion);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private FailureStoreException Translate(Exception ex)
    {
        if (ex is FailureStoreException fse)
        {
            return fse;
        }

        if (ex is SqliteException)
        {
            // A pooled connection to a file that went bad stays bad; start the next attempt fresh.
            SqliteConnection.ClearAllPools();
            _initialized = false;
        }

        var problem = ex switch
        {
            SqliteException { SqliteErrorCode: 26 or 11 } s =>
                $"the file is not a SQLite database or is corrupt (SQLite error {s.SqliteErrorCode}). Move the file aside (Steadfast then creates a new one) or point dbPath at another file.",
            SqliteException { SqliteErrorCode: 8 } s =>
                $"the file or its directory is read-only (SQLite error {s.SqliteErrorCode}). Make both writable for this process or point dbPath at another file.",
            SqliteException { SqliteErrorCode: 5 or 6 } s =>
                $"the database stayed locked by another connection for more than {_busyTimeoutMilliseconds} ms (SQLite error {s.SqliteErrorCode}). Check for a process holding a long transaction.",
            SqliteException { SqliteErrorCode: 14 } s =>
                $"the file cannot be opened (SQLite error {s.SqliteErrorCode}). Check that its directory exists and is writable.",
            SqliteException { SqliteErrorCode: 13 } s =>
                $"the disk is full (SQLite error {s.SqliteErrorCode}). Free space or shorten the retention.",
            SqliteException s => $"SQLite error {s.SqliteErrorCode}: {s.Message}",
            UnauthorizedAccessException => "access to the file or its directory is denied. Make both writable for this process or point dbPath at another file.",
            IOException io => $"I/O error: {io.Message}",
            _ => ex.Message,
        };
        return new FailureStoreException(Path, $"SQLite failure store '{Path}': {problem}", ex);
    }
}
