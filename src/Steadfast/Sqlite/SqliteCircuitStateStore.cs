using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Steadfast.Storage.Sqlite;

namespace Steadfast;

/// <summary>
/// An <see cref="ICircuitStateStore"/> in a SQLite file, by default the same file as <see cref="SqliteFailureStore"/>,
/// so one database keeps everything a restarted engine needs. Every save is durable when it returns.
/// </summary>
/// <remarks>
/// Failures throw <see cref="FailureStoreException"/> naming the file, as <see cref="ICircuitStateStore"/> asks:
/// a snapshot is never lost silently. The SQLite driver works synchronously; the asynchronous methods complete on
/// the calling thread.
/// </remarks>
public sealed class SqliteCircuitStateStore : ICircuitStateStore
{
    private readonly SqliteDatabase _db;

    /// <summary>Creates a store over a SQLite file.</summary>
    /// <param name="dbPath">The file; created with its directory on first use.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    /// <param name="busyTimeout">How long a save waits for another connection's (or process's) lock before failing; 5 s when null; 1 s to 10 min.</param>
    public SqliteCircuitStateStore(string dbPath = FailureAnalyzerConstants.DefaultDatabasePath, ILoggerFactory? loggerFactory = null, TimeSpan? busyTimeout = null)
    {
        _db = new SqliteDatabase(dbPath, loggerFactory, busyTimeout);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _db.Path;

    /// <inheritdoc />
    public ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _db.Run(
            c =>
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = """
                    INSERT INTO circuit_snapshots (name, state, consecutive_failures, opened_at, open_until, consecutive_openings, last_failure_at, last_error, saved_at)
                    VALUES ($name, $state, $cf, $opened, $until, $co, $lf, $le, $saved)
                    ON CONFLICT (name) DO UPDATE SET state = excluded.state, consecutive_failures = excluded.consecutive_failures,
                        opened_at = excluded.opened_at, open_until = excluded.open_until, consecutive_openings = excluded.consecutive_openings,
                        last_failure_at = excluded.last_failure_at, last_error = excluded.last_error, saved_at = excluded.saved_at;
                    """;
                var p = cmd.Parameters;
                p.AddWithValue("$name", snapshot.Name);
                p.AddWithValue("$state", (int)snapshot.State);
                p.AddWithValue("$cf", snapshot.ConsecutiveFailures);
                p.AddWithValue("$opened", Ms(snapshot.OpenedAt));
                p.AddWithValue("$until", Ms(snapshot.OpenUntil));
                p.AddWithValue("$co", snapshot.ConsecutiveOpenings);
                p.AddWithValue("$lf", Ms(snapshot.LastFailureAt));
                p.AddWithValue("$le", (object?)snapshot.LastError ?? DBNull.Value);
                p.AddWithValue("$saved", snapshot.SavedAt.ToUnixTimeMilliseconds());
                return cmd.ExecuteNonQuery();
            },
            cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ValueTask.FromResult(_db.Run(c => Read(c, name).FirstOrDefault(), cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<CircuitBreakerSnapshot>>(_db.Run(c => Read(c, null), cancellationToken));

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ValueTask.FromResult(_db.Run(
            c =>
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "DELETE FROM circuit_snapshots WHERE name = $name;";
                cmd.Parameters.AddWithValue("$name", name);
                return cmd.ExecuteNonQuery() > 0;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public override string ToString() => $"SQLite '{_db.Path}'";

    private static object Ms(DateTimeOffset? t) => (object?)t?.ToUnixTimeMilliseconds() ?? DBNull.Value;

    private static DateTimeOffset? Time(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));

    private static List<CircuitBreakerSnapshot> Read(SqliteConnection c, string? name)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name, state, consecutive_failures, opened_at, open_until, consecutive_openings, last_failure_at, last_error, saved_at FROM circuit_snapshots"
            + (name is null ? ";" : " WHERE name = $name;");
        if (name is not null)
        {
            cmd.Parameters.AddWithValue("$name", name);
        }

        using var r = cmd.ExecuteReader();
        var result = new List<CircuitBreakerSnapshot>();
        while (r.Read())
        {
            result.Add(new CircuitBreakerSnapshot
            {
                Name = r.GetString(0),
                State = (CircuitState)r.GetInt32(1),
                ConsecutiveFailures = r.GetInt32(2),
                OpenedAt = Time(r, 3),
                OpenUntil = Time(r, 4),
                ConsecutiveOpenings = r.GetInt32(5),
                LastFailureAt = Time(r, 6),
                LastError = r.IsDBNull(7) ? null : r.GetString(7),
                SavedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
            });
        }

        return result;
    }
}
