using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Steadfast;

/// <summary>
/// Opens the long-lived connection of a durable SQLite store (<see cref="SqliteCheckpointStore"/>,
/// <see cref="SqliteQueueStore"/>) with the pragmas they rely on, and words storage errors so they name the store,
/// the file and what to do.
/// </summary>
/// <remarks>
/// WAL lets readers work while one connection writes, also across processes, and a transaction that committed
/// survives a process crash. <c>synchronous=NORMAL</c> skips the fsync per commit (WAL stays consistent; only an OS
/// crash or power loss can roll back the last commits); <c>synchronous=FULL</c> fsyncs every commit. The busy
/// timeout makes a second process wait for the write lock instead of failing at once.
/// </remarks>
internal static class SqliteConnectionFactory
{
    public const int BusyTimeoutMilliseconds = 10_000;

    public static SqliteConnection Open(string storeName, string path, bool synchronousFull)
    {
        try
        {
            EnsureDirectory(path);
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false, // one connection per store, kept open: pooling would only keep file handles alive after Dispose
                DefaultTimeout = BusyTimeoutMilliseconds / 1000,
            }.ToString());
            try
            {
                connection.Open();
                Execute(connection, "PRAGMA journal_mode=WAL;");
                ApplyConnectionPragmas(connection, BusyTimeoutMilliseconds, synchronousFull);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw Error(storeName, path, "open the database", ex);
        }
    }

    /// <summary>Creates the directory of a database file when it is missing.</summary>
    public static void EnsureDirectory(string path)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    /// <summary>
    /// The per-connection pragmas every Steadfast SQLite connection needs (also the learning stores' <c>SqliteDatabase</c>):
    /// the busy timeout and the commit durability. <c>journal_mode=WAL</c> is persistent in the file and set apart.
    /// </summary>
    public static void ApplyConnectionPragmas(SqliteConnection connection, int busyTimeoutMilliseconds, bool synchronousFull)
        => Execute(connection, string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout={busyTimeoutMilliseconds}; PRAGMA synchronous={(synchronousFull ? "FULL" : "NORMAL")};"));

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static SteadfastException Error(string storeName, string path, string operation, Exception inner)
        => new($"{storeName} could not {operation} in '{path}': {inner.Message} " +
               "Check that the directory exists and is writable, that the disk is not full, and that the file is a SQLite database " +
               "not held open exclusively by another program.", inner);

    public static long Ticks(DateTimeOffset time) => time.UtcTicks;

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
