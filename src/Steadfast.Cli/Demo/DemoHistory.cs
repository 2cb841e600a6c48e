using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Steadfast.Cli.Demo;

/// <summary>
/// The demo's own record of its runs, in a table of the same database, so a second run can compare itself with the first.
/// The learning itself lives in Steadfast's tables; this is only the scoreboard.
/// </summary>
/// <remarks>
/// It only ever opens a file Steadfast's stores have already created and marked as theirs (<c>PRAGMA application_id</c>):
/// it never creates a file, and never adds its table to a file that is not Steadfast's. Without such a file there is no
/// scoreboard: <see cref="LoadLastAsync"/> finds no previous run and <see cref="SaveAsync"/> returns <see langword="false"/>.
/// </remarks>
internal static class DemoHistory
{
    /// <summary>The mark Steadfast's stores put in every file they create: "STDF" (see Steadfast's SQLite ownership check).</summary>
    private const long SteadfastApplicationId = 0x53544446;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS cli_demo_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            finished_at TEXT NOT NULL,
            seed INTEGER NOT NULL,
            parallel INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            succeeded INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            failed_attempts INTEGER NOT NULL,
            p50_ms REAL NOT NULL);
        """;

    // Columns added after the first version of the table; a database written by an older demo gets them on open (NULL in old rows).
    private static readonly (string Name, string Type)[] AddedColumns =
    [
        ("mode", "TEXT"), ("duration_s", "REAL"), ("concurrency", "INTEGER"), ("virtual_time", "INTEGER"),
        ("p95_ms", "REAL"), ("p99_ms", "REAL"), ("pattern", "TEXT"), ("root_cause", "TEXT"),
    ];

    /// <summary>The previous run's scoreboard; <see langword="null"/> when there is none (or no Steadfast file to read it from).</summary>
    public static async Task<PreviousRun?> LoadLastAsync(string db, CancellationToken ct)
    {
        await using var connection = await OpenAsync(db, ct);
        if (connection is null)
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT finished_at, seed, parallel, mode, duration_s, concurrency, virtual_time, calls, succeeded, attempts, failed_attempts,
                   p50_ms, p95_ms, p99_ms, pattern, root_cause
            FROM cli_demo_runs ORDER BY id DESC LIMIT 1
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        double? Real(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new PreviousRun(
            DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
            reader.GetInt32(1),
            Text(3) ?? (reader.GetInt32(2) == 1 ? "race" : "sequential"),
            Real(4),
            reader.IsDBNull(5) ? null : reader.GetInt32(5),
            !reader.IsDBNull(6) && reader.GetInt32(6) == 1,
            reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10),
            reader.GetDouble(11), Real(12), Real(13), Text(14), Text(15));
    }

    /// <summary>Adds this run's scoreboard; <see langword="false"/> when there is no Steadfast file to add it to.</summary>
    public static async Task<bool> SaveAsync(string db, DemoReport report, CancellationToken ct)
    {
        await using var connection = await OpenAsync(db, ct);
        if (connection is null)
        {
            return false;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO cli_demo_runs (finished_at, seed, parallel, mode, duration_s, concurrency, virtual_time, calls, succeeded, attempts,
                                       failed_attempts, p50_ms, p95_ms, p99_ms, pattern, root_cause)
            VALUES ($at, $seed, $parallel, $mode, $duration, $concurrency, $virtual, $calls, $succeeded, $attempts, $failed, $p50, $p95, $p99,
                    $pattern, $cause)
            """;
        var t = report.Totals;
        command.Parameters.AddWithValue("$at", report.FinishedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$seed", report.Seed);
        command.Parameters.AddWithValue("$parallel", report.Parallel ? 1 : 0);
        command.Parameters.AddWithValue("$mode", ModeName(report.Mode));
        command.Parameters.AddWithValue("$duration", report.ElapsedSeconds);
        command.Parameters.AddWithValue("$concurrency", report.Concurrency);
        command.Parameters.AddWithValue("$virtual", report.VirtualTime ? 1 : 0);
        command.Parameters.AddWithValue("$calls", t.Calls);
        command.Parameters.AddWithValue("$succeeded", t.Succeeded);
        command.Parameters.AddWithValue("$attempts", t.Attempts);
        command.Parameters.AddWithValue("$failed", t.FailedAttempts);
        command.Parameters.AddWithValue("$p50", t.P50Milliseconds);
        command.Parameters.AddWithValue("$p95", t.P95Milliseconds);
        command.Parameters.AddWithValue("$p99", t.P99Milliseconds);
        command.Parameters.AddWithValue("$pattern", report.ThisRun.Pattern.ToString());
        command.Parameters.AddWithValue("$cause", (object?)report.ThisRun.RootCause?.Description ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
        return true;
    }

    /// <summary>The mode as the command line spells it.</summary>
    public static string ModeName(ExecutionMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>Opens an existing Steadfast file with the table in place; <see langword="null"/> when there is none.</summary>
    private static async Task<SqliteConnection?> OpenAsync(string db, CancellationToken ct)
    {
        if (!File.Exists(db))
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, DefaultTimeout = 5, Mode = SqliteOpenMode.ReadWrite }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            if (!await IsSteadfastsAsync(connection, ct))
            {
                await connection.DisposeAsync();
                return null;
            }

            await PrepareAsync(connection, ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<bool> IsSteadfastsAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA application_id";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == SteadfastApplicationId;
    }

    /// <summary>Creates the table, or adds the columns a newer demo keeps to a table an older one created.</summary>
    private static async Task PrepareAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = Schema;
            await command.ExecuteNonQueryAsync(ct);
        }

        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM pragma_table_info('cli_demo_runs')";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var (name, type) in AddedColumns.Where(c => !existing.Contains(c.Name)))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"ALTER TABLE cli_demo_runs ADD COLUMN {name} {type}";
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}

/// <summary>The scoreboard of the previous demo run; figures a run of an older demo did not keep are <see langword="null"/>.</summary>
internal sealed record PreviousRun(
    DateTimeOffset FinishedAt,
    int Seed,
    string Mode,
    double? DurationSeconds,
    int? Concurrency,
    bool VirtualTime,
    int Calls,
    int Succeeded,
    int Attempts,
    int FailedAttempts,
    double P50Milliseconds,
    double? P95Milliseconds,
    double? P99Milliseconds,
    string? Pattern,
    string? RootCause)
{
    public double WastedAttemptsPerCall => Calls == 0 ? 0 : (double)FailedAttempts / Calls;

    public double AttemptsPerSuccess => Succeeded == 0 ? 0 : (double)Attempts / Succeeded;

    public double SuccessRate => Calls == 0 ? 0 : (double)Succeeded / Calls;
}
