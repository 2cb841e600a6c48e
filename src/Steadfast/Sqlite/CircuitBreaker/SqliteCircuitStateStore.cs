using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Steadfast.Sqlite;
using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast;

/// <summary>
/// An <see cref="ICircuitStateStore"/> in a SQLite file, by default the same file as <see cref="SqliteFailureStore"/>,
/// so one database keeps everything a restarted engine needs. Every save is committed when it returns.
/// </summary>
/// <remarks>
/// The constructor does no I/O; the first call opens and, when needed, creates the file. Failures throw
/// <see cref="StoreException"/> naming the file, as <see cref="ICircuitStateStore"/> asks: a snapshot is never lost
/// silently, and a file that is not Steadfast's is refused untouched.
/// </remarks>
public sealed class SqliteCircuitStateStore : ICircuitStateStore
{
    private const string Columns = "name, state, consecutive_failures, opened_at, open_until, consecutive_openings, last_failure_at, last_error, saved_at";
    private readonly SqliteStoreConnection _connection;

    /// <summary>Creates a store over a SQLite file with the default settings.</summary>
    /// <param name="path">The file; created with its directory on first use.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public SqliteCircuitStateStore(string path, ILoggerFactory? loggerFactory = null)
        : this(new SqliteStoreOptions { Path = path }, loggerFactory)
    {
    }

    /// <summary>Creates a store over a SQLite file.</summary>
    /// <param name="options">The file and its settings; validated and copied.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SqliteCircuitStateStore(SqliteStoreOptions options, ILoggerFactory? loggerFactory = null)
        => _connection = new SqliteStoreConnection(options, SqliteSchemas.Circuits, nameof(SqliteCircuitStateStore), loggerFactory);

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _connection.Path;

    /// <inheritdoc />
    public async ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await _connection.WriteAsync("save a circuit", w => w.Execute($"""
            INSERT INTO circuit_snapshots ({Columns})
            VALUES ($name, $state, $cf, $opened, $until, $co, $lf, $le, $saved)
            ON CONFLICT (name) DO UPDATE SET state = excluded.state, consecutive_failures = excluded.consecutive_failures,
                opened_at = excluded.opened_at, open_until = excluded.open_until, consecutive_openings = excluded.consecutive_openings,
                last_failure_at = excluded.last_failure_at, last_error = excluded.last_error, saved_at = excluded.saved_at;
            """,
            ("$name", snapshot.Name), ("$state", (int)snapshot.State), ("$cf", snapshot.ConsecutiveFailures),
            ("$opened", Milliseconds(snapshot.OpenedAt)), ("$until", Milliseconds(snapshot.OpenUntil)), ("$co", snapshot.ConsecutiveOpenings),
            ("$lf", Milliseconds(snapshot.LastFailureAt)), ("$le", snapshot.LastError), ("$saved", snapshot.SavedAt.ToUnixTimeMilliseconds())),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = await _connection.ReadAsync("load a circuit", c => Read(c, name), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default)
        => await _connection.ReadAsync("load circuits", c => Read(c, null), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _connection.WriteAsync("delete a circuit", w => w.Execute("DELETE FROM circuit_snapshots WHERE name = $name;", ("$name", name)) > 0, cancellationToken);
    }

    /// <summary>Releases the file after the writes already accepted. Idempotent.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => _connection.ToString();

    private static List<CircuitBreakerSnapshot> Read(SqliteConnection c, string? name)
    {
        using var cmd = name is null
            ? Command(c, $"SELECT {Columns} FROM circuit_snapshots;")
            : Command(c, $"SELECT {Columns} FROM circuit_snapshots WHERE name = $name;", ("$name", name));
        using var r = cmd.ExecuteReader();
        var result = new List<CircuitBreakerSnapshot>();
        while (r.Read())
        {
            result.Add(new CircuitBreakerSnapshot
            {
                Name = r.GetString(0),
                State = (CircuitState)r.GetInt32(1),
                ConsecutiveFailures = r.GetInt32(2),
                OpenedAt = FromMilliseconds(r, 3),
                OpenUntil = FromMilliseconds(r, 4),
                ConsecutiveOpenings = r.GetInt32(5),
                LastFailureAt = FromMilliseconds(r, 6),
                LastError = r.IsDBNull(7) ? null : r.GetString(7),
                SavedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
            });
        }

        return result;
    }
}
