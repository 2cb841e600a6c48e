using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Steadfast.Cli.Demo;

/// <summary>
/// The demo's own record of its runs, in a table of the same database, so a second run can show what the
/// first one learned made better. The learning itself lives in Steadfast's tables; this is only the scoreboard.
/// </summary>
internal static class DemoHistory
{
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

    public static async Task<PreviousRun?> LoadLastAsync(string db, CancellationToken ct)
    {
        await using var connection = await OpenAsync(db, ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT finished_at, calls, succeeded, attempts, failed_attempts, p50_ms FROM cli_demo_runs ORDER BY id DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new PreviousRun(
            DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
            reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetDouble(5));
    }

    public static async Task SaveAsync(string db, DateTimeOffset finishedAt, int seed, bool parallel, DemoTotals totals, CancellationToken ct)
    {
        await using var connection = await OpenAsync(db, ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO cli_demo_runs (finished_at, seed, parallel, calls, succeeded, attempts, failed_attempts, p50_ms)
            VALUES ($at, $seed, $parallel, $calls, $succeeded, $attempts, $failed, $p50)
            """;
        command.Parameters.AddWithValue("$at", finishedAt.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$seed", seed);
        command.Parameters.AddWithValue("$parallel", parallel ? 1 : 0);
        command.Parameters.AddWithValue("$calls", totals.Calls);
        command.Parameters.AddWithValue("$succeeded", totals.Succeeded);
        command.Parameters.AddWithValue("$attempts", totals.Attempts);
        command.Parameters.AddWithValue("$failed", totals.FailedAttempts);
        command.Parameters.AddWithValue("$p50", totals.P50Milliseconds);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<SqliteConnection> OpenAsync(string db, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, DefaultTimeout = 5 }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync(ct);
        return connection;
    }
}

/// <summary>The scoreboard of the previous demo run.</summary>
internal sealed record PreviousRun(DateTimeOffset FinishedAt, int Calls, int Succeeded, int Attempts, int FailedAttempts, double P50Milliseconds)
{
    public double WastedAttemptsPerCall => Calls == 0 ? 0 : (double)FailedAttempts / Calls;
}
