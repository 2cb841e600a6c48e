using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast.Sqlite;

/// <summary>The <c>failures</c> table and its daily rollup, kept in step in the same transactions.</summary>
internal sealed class SqliteFailureTable(SqliteStoreConnection connection, TimeProvider timeProvider, ILogger logger)
{
    private const long MillisecondsPerDay = 86_400_000;

    private const string InsertSql = """
        INSERT INTO failures (timestamp, operation, strategy, error_type, error_message, category, status_code, context)
        VALUES ($ts, $op, $st, $et, $msg, $cat, $code, $ctx);
        """;

    private const string RollupSql = """
        INSERT INTO failure_rollup (day, operation, error_type, count) VALUES ($d, $o, $e, $n)
        ON CONFLICT (day, operation, error_type) DO UPDATE SET count = count + excluded.count;
        """;

    public async ValueTask<long> SaveAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
    {
        var lastId = await connection.WriteAsync("save failures", w => Insert(w, failures), cancellationToken).ConfigureAwait(false);
        Log.FailureBatchWritten(logger, failures.Count, connection.Path);
        return lastId;
    }

    public ValueTask<IReadOnlyList<Failure>> GetAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
        => connection.ReadAsync<IReadOnlyList<Failure>>("read failures", c =>
        {
            using var cmd = c.CreateCommand();
            var where = new List<string>(3);
            if (operation is not null)
            {
                where.Add("operation = $op");
                cmd.Parameters.AddWithValue("$op", operation);
            }

            if (errorType is not null)
            {
                where.Add("error_type = $et");
                cmd.Parameters.AddWithValue("$et", errorType);
            }

            if (since is { } s)
            {
                where.Add("timestamp >= $since");
                cmd.Parameters.AddWithValue("$since", s.ToUnixTimeMilliseconds());
            }

            cmd.CommandText =
                "SELECT id, timestamp, operation, strategy, error_type, error_message, category, status_code, context FROM failures"
                + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : string.Empty)
                + " ORDER BY timestamp DESC, id DESC LIMIT $limit;";
            cmd.Parameters.AddWithValue("$limit", limit);
            using var reader = cmd.ExecuteReader();
            var result = new List<Failure>();
            while (reader.Read())
            {
                result.Add(new Failure
                {
                    Id = reader.GetInt64(0),
                    Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    Operation = reader.GetString(2),
                    Strategy = reader.IsDBNull(3) ? null : reader.GetString(3),
                    ErrorType = reader.GetString(4),
                    ErrorMessage = reader.GetString(5),
                    Category = (ErrorCategory)reader.GetInt32(6),
                    StatusCode = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                    Context = reader.IsDBNull(8) ? Failure.EmptyContext : ReadContext(reader.GetString(8)),
                });
            }

            return result;
        }, cancellationToken);

    public ValueTask<int> CleanupAsync(int days, CancellationToken cancellationToken)
    {
        var cutoff = (timeProvider.GetUtcNow() - TimeSpan.FromDays(days)).ToUnixTimeMilliseconds();
        return connection.WriteAsync("delete old failures", w =>
        {
            // The rollup loses exactly what the table loses, in the same transaction.
            w.Execute("""
                INSERT INTO failure_rollup (day, operation, error_type, count)
                SELECT timestamp / 86400000, operation, error_type, -count(*) FROM failures WHERE timestamp < $cutoff
                GROUP BY timestamp / 86400000, operation, error_type
                ON CONFLICT (day, operation, error_type) DO UPDATE SET count = count + excluded.count;
                """, ("$cutoff", cutoff));
            w.Execute("DELETE FROM failure_rollup WHERE count <= 0;");
            return w.Execute("DELETE FROM failures WHERE timestamp < $cutoff;", ("$cutoff", cutoff));
        }, cancellationToken);
    }

    private static long Insert(SqliteWriter writer, IReadOnlyList<Failure> failures)
    {
        var cmd = writer.Statement(InsertSql);
        var p = cmd.Parameters;
        if (p.Count == 0)
        {
            p.Add("$ts", SqliteType.Integer);
            p.Add("$op", SqliteType.Text);
            p.Add("$st", SqliteType.Text);
            p.Add("$et", SqliteType.Text);
            p.Add("$msg", SqliteType.Text);
            p.Add("$cat", SqliteType.Integer);
            p.Add("$code", SqliteType.Integer);
            p.Add("$ctx", SqliteType.Text);
        }

        // The rollup is summed per batch first: one upsert per (day, operation, error type), not per failure.
        var rollup = new Dictionary<(long Day, string Operation, string ErrorType), long>();
        foreach (var f in failures)
        {
            var ms = f.Timestamp.ToUnixTimeMilliseconds();
            p[0].Value = ms;
            p[1].Value = f.Operation;
            p[2].Value = (object?)f.Strategy ?? DBNull.Value;
            p[3].Value = f.ErrorType;
            p[4].Value = f.ErrorMessage;
            p[5].Value = (int)f.Category;
            p[6].Value = (object?)f.StatusCode ?? DBNull.Value;
            p[7].Value = f.Context.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(f.Context, StorageJsonContext.Default.IReadOnlyDictionaryStringString);
            cmd.ExecuteNonQuery();
            var key = (ms / MillisecondsPerDay, f.Operation, f.ErrorType);
            rollup[key] = rollup.GetValueOrDefault(key) + 1;
        }

        var lastId = (long)writer.Command("SELECT last_insert_rowid();").ExecuteScalar()!;
        foreach (var ((day, operation, errorType), count) in rollup)
        {
            writer.Execute(RollupSql, ("$d", day), ("$o", operation), ("$e", errorType), ("$n", count));
        }

        return lastId;
    }

    private static IReadOnlyDictionary<string, string?> ReadContext(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, StorageJsonContext.Default.DictionaryStringString) ?? Failure.EmptyContext;
        }
        catch (JsonException)
        {
            // A hand-edited row must not make every read fail.
            return Failure.EmptyContext;
        }
    }
}
