using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast.Sqlite;

/// <summary>
/// One Steadfast SQLite file as this process uses it: every store on the same file with the same settings shares one
/// instance (<see cref="Acquire"/> / <see cref="Release"/>), hence one group-committed <see cref="SqliteWriter"/>, and
/// reads run on connections of their own. Nothing is opened until the first use: then the file is checked to be
/// Steadfast's (<see cref="SqliteOwnership"/>), put in WAL mode, and each store's <see cref="SqliteSchemaModule"/>
/// migrated forward; a read-only instance (<see cref="SqliteStoreOptions.ReadOnly"/>) has no writer and changes nothing
/// (<see cref="SqliteReadOnlyFile"/>).
/// </summary>
/// <remarks>
/// WAL lets readers work while one connection writes, also across processes; a committed transaction survives a process
/// crash. If the first use fails (unreachable, read-only, locked), the next use tries again; a foreign or newer file is
/// refused every time, untouched.
/// </remarks>
internal sealed class SqliteDatabase
{
    private const int MaxIdleReaders = 4;
    private static readonly Lock RegistryLock = new();
    private static readonly Dictionary<(string Path, SqliteSynchronousMode Synchronous, TimeSpan BusyTimeout, bool ReadOnly), SqliteDatabase> Instances = [];

    private readonly (string Path, SqliteSynchronousMode Synchronous, TimeSpan BusyTimeout, bool ReadOnly) _key;
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly Lock _openLock = new();
    private readonly ConcurrentBag<SqliteConnection> _idleReaders = [];
    private volatile SqliteWriter? _writer;
    private SqliteSchemaModule[] _writeReady = []; // replaced, never changed, under _openLock; read without it
    private SqliteSchemaModule[] _readReady = [];
    private int _references; // guarded by RegistryLock
    private volatile bool _released;

    private SqliteDatabase((string Path, SqliteSynchronousMode Synchronous, TimeSpan BusyTimeout, bool ReadOnly) key, ILoggerFactory? loggerFactory)
    {
        _key = key;
        _logger = loggerFactory.CreateRedactingLogger("Steadfast.Sqlite");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = key.Path,
            // Read-only stores open for reading and writing, but never create the file and never write (query_only, below):
            // SQLite's read-only mode would leave the -wal and -shm files of a WAL database behind.
            Mode = key.ReadOnly ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // each connection is kept open as long as it is useful: pooling would only keep file handles after Close
            DefaultTimeout = (int)Math.Ceiling(key.BusyTimeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>The full path of the file.</summary>
    public string Path => _key.Path;

    /// <summary>How long a connection waits for another's lock.</summary>
    public TimeSpan BusyTimeout => _key.BusyTimeout;

    /// <summary>The shared instance for <paramref name="options"/> (validated by the caller), one more reference to it. Does no I/O.</summary>
    public static SqliteDatabase Acquire(SqliteStoreOptions options, ILoggerFactory? loggerFactory)
    {
        var key = (System.IO.Path.GetFullPath(options.Path), options.Synchronous, options.BusyTimeout, options.ReadOnly);
        lock (RegistryLock)
        {
            if (!Instances.TryGetValue(key, out var database))
            {
                database = new SqliteDatabase(key, loggerFactory);
                Instances[key] = database;
            }

            database._references++;
            return database;
        }
    }

    /// <summary>Gives a reference back; the last one writes what is queued and closes the file.</summary>
    public void Release()
    {
        lock (RegistryLock)
        {
            if (--_references > 0)
            {
                return;
            }

            Instances.Remove(_key);
            _released = true;
        }

        _writer?.Dispose(); // writes what was accepted, then closes the writer connection
        while (_idleReaders.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    /// <summary>Runs <paramref name="work"/> in the next group commit; completes once it is committed.</summary>
    public ValueTask<T> WriteAsync<T>(SqliteSchemaModule module, string store, string operation, Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_key.ReadOnly)
        {
            return ValueTask.FromException<T>(SqliteReadOnlyFile.WriteRefused(store, Path, operation));
        }

        return Contains(_writeReady, module) && _writer is { Broken: false } writer
            ? writer.RunAsync(store, operation, work, cancellationToken)
            : WriteWhenReadyAsync(module, store, operation, work, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a read connection, off the caller's thread (SQLite's driver has no asynchronous
    /// I/O), and so is opening the file on first use.
    /// </summary>
    public ValueTask<T> ReadAsync<T>(SqliteSchemaModule module, string store, string operation, Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<T>(Task.Run(
            async () =>
            {
                if (!Contains(_readReady, module))
                {
                    if (!_key.ReadOnly)
                    {
                        await EnsureReadableAsync(module, store, cancellationToken).ConfigureAwait(false);
                    }
                    else if (!IsInReadOnlyFile(module, store))
                    {
                        return SqliteReadOnlyFile.ReadEmpty(module, store, operation, read);
                    }
                }

                return OnReader(store, operation, read);
            },
            cancellationToken));
    }

    private T OnReader<T>(string store, string operation, Func<SqliteConnection, T> read)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = _idleReaders.TryTake(out var idle) ? idle : Connect();
            var result = read(connection);
            if (_idleReaders.Count < MaxIdleReaders && !_released)
            {
                _idleReaders.Add(connection);
                connection = null;
            }

            return result;
        }
        catch (Exception ex) when (SqliteErrors.IsStorageError(ex))
        {
            throw SqliteErrors.Translate(store, Path, operation, ex, BusyTimeout);
        }
        finally
        {
            connection?.Dispose(); // a connection that failed is not reused
        }
    }

    /// <summary>Checks a file a read-only store must not change: whether the module's tables are there to read (not cached while absent).</summary>
    private bool IsInReadOnlyFile(SqliteSchemaModule module, string store)
    {
        SqliteReadOnlyFile.RequireFile(store, Path);
        if (OnReader(store, "open the database", c => SqliteReadOnlyFile.Inspect(c, module, store, Path)) != SqliteReadOnlyFile.ModuleShape.Present)
        {
            return false;
        }

        Publish(ref _readReady, module);
        return true;
    }

    private async ValueTask<T> WriteWhenReadyAsync<T>(SqliteSchemaModule module, string store, string operation, Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        // Opening the file is I/O: off the caller's thread, like reads.
        var writer = await Task.Run(() => EnsureWritableAsync(module, store, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        return await writer.RunAsync(store, operation, work, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask EnsureReadableAsync(SqliteSchemaModule module, string store, CancellationToken cancellationToken)
    {
        try
        {
            // The usual first use: creates, claims and migrates the file, after which everything can be read.
            await EnsureWritableAsync(module, store, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreException ex) when (ex.Failure == StoreFailure.ReadOnly)
        {
            // A read-only Steadfast file can still be read, as long as its tables are current.
            OnReader(store, "open the database", c => VerifyReadable(c, module, store));
            Publish(ref _readReady, module);
        }
    }

    private async ValueTask<SqliteWriter> EnsureWritableAsync(SqliteSchemaModule module, string store, CancellationToken cancellationToken)
    {
        var writer = _writer is { Broken: false } current ? current : OpenWriter(store);
        if (Contains(_writeReady, module))
        {
            return writer;
        }

        // Through the writer, so the migration never runs inside another store's batch on the same connection.
        var (from, to) = await writer.RunAsync(store, $"create its tables ({module.Name})", w => Migrate(w, module, store), cancellationToken).ConfigureAwait(false);
        if (from != to)
        {
            Log.SchemaMigrated(_logger, Path, module.Name, from, to);
        }

        Publish(ref _writeReady, module);
        Publish(ref _readReady, module);
        return writer;
    }

    /// <summary>
    /// Opens the writer connection: checks ownership, claims the file if new, turns on WAL and makes sure writing works.
    /// A writer that broke (the file turned read-only or vanished) is replaced here, so the store recovers when the file does.
    /// </summary>
    private SqliteWriter OpenWriter(string store)
    {
        SqliteWriter? retired = null;
        try
        {
            lock (_openLock)
            {
                if (_writer is { Broken: false } opened)
                {
                    return opened;
                }

                if (_writer is { } broken)
                {
                    retired = broken;
                    _writer = null;
                    _writeReady = [];
                }

                var writer = new SqliteWriter(OpenWriterConnection(store), Path, BusyTimeout, Connect);
                _writer = writer;
                return writer;
            }
        }
        finally
        {
            // Off this thread: disposing waits for the broken writer's batch in progress, whose operations fail on their own.
            if (retired is not null)
            {
                _ = Task.Run(retired.Dispose);
            }
        }
    }

    private SqliteConnection OpenWriterConnection(string store)
    {
        SqliteConnection? connection = null;
        try
        {
            if (!File.Exists(Path) && System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } directory)
            {
                Directory.CreateDirectory(directory);
            }

            connection = Connect();
            if (SqliteOwnership.Inspect(connection, store, Path) != SqliteOwnership.Verdict.Ours)
            {
                SqliteOwnership.Claim(connection, store, Path);
            }

            // SQLite opens a write-protected file read-only without saying so: find out now, not in the first batch.
            Execute(connection, "BEGIN IMMEDIATE; ROLLBACK;");

            // Persistent in the file: every later connection, in any process, is in WAL mode.
            var journal = Convert.ToString(Scalar(connection, "PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture) ?? "?";
            Log.DatabaseOpened(_logger, Path, journal, SqliteOwnership.LayoutVersion);
            var opened = connection;
            connection = null;
            return opened;
        }
        catch (Exception ex) when (SqliteErrors.IsStorageError(ex))
        {
            throw SqliteErrors.Translate(store, Path, "open the database", ex, BusyTimeout);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static int VerifyReadable(SqliteConnection connection, SqliteSchemaModule module, string store)
    {
        var path = connection.DataSource;
        var version = SqliteOwnership.Inspect(connection, store, path) == SqliteOwnership.Verdict.Ours
            && Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'steadfast_schema';") is 1L
            && Scalar(connection, $"SELECT version FROM steadfast_schema WHERE module = '{module.Name}';") is long v ? v : 0;
        if (version != module.Version)
        {
            throw new StoreException(StoreFailure.ReadOnly, store, path,
                $"{store} cannot use '{path}': its {module.Name} tables need creating or upgrading, and the file or its directory is read-only. " +
                "Make both writable for this process once.", null);
        }

        return 0;
    }

    private void Publish(ref SqliteSchemaModule[] set, SqliteSchemaModule module)
    {
        lock (_openLock)
        {
            if (!Contains(set, module))
            {
                set = [.. set, module];
            }
        }
    }

    private static bool Contains(SqliteSchemaModule[] set, SqliteSchemaModule module)
    {
        foreach (var ready in set)
        {
            if (ReferenceEquals(ready, module))
            {
                return true;
            }
        }

        return false;
    }

    private static (int From, int To) Migrate(SqliteWriter writer, SqliteSchemaModule module, string store)
    {
        var from = writer.Command("SELECT version FROM steadfast_schema WHERE module = $m;", ("$m", module.Name)).ExecuteScalar() is long v ? (int)v : 0;
        if (from > module.Version)
        {
            throw new StoreException(StoreFailure.Incompatible, store, writer.Path,
                $"{store} cannot use '{writer.Path}': its {module.Name} tables are at version {from}, newer than this Steadfast understands ({module.Version}). " +
                "Upgrade Steadfast or point the store at another file.", null);
        }

        for (var version = from; version < module.Version; version++)
        {
            writer.Execute(module.Migrations[version]);
        }

        if (from != module.Version)
        {
            writer.Execute("INSERT INTO steadfast_schema (module, version) VALUES ($m, $v) ON CONFLICT (module) DO UPDATE SET version = excluded.version;",
                ("$m", module.Name), ("$v", module.Version));
        }

        return (from, module.Version);
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous={(_key.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL")};"));
            if (_key.ReadOnly)
            {
                Execute(connection, "PRAGMA query_only = ON;"); // a read-only store's connections refuse every write, should one slip through
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
