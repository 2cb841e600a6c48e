using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Steadfast.Storage.Sqlite;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// The embedded default <see cref="IFailureStore"/> and <see cref="IStrategyStatisticsStore"/>: one SQLite file
/// (WAL, <c>synchronous=NORMAL</c>, busy timeout) that several processes may share.
/// </summary>
/// <remarks>
/// The file and its directory are created on first use, and its schema migrated forward; the constructor
/// touches nothing, so a bad path surfaces as a <see cref="FailureStoreException"/> from the first call, naming
/// the file and what to do. The SQLite driver works synchronously: the asynchronous methods complete on the
/// calling thread. Context must be redacted before it reaches the store (<see cref="FailureAnalyzer"/> does that;
/// <see cref="FailureStoreExtensions.SaveFailureAsync(IFailureStore, DateTimeOffset, string, string, string, IReadOnlyDictionary{string, object?}?, CancellationToken)"/> too).
/// </remarks>
public sealed class SqliteFailureStore : IFailureStore, IStrategyStatisticsStore
{
    private const long MillisecondsPerDay = 86_400_000;
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a store over a SQLite file.</summary>
    /// <param name="dbPath">The file; relative paths are resolved against the current directory.</param>
    /// <param name="timeProvider">The clock for expiry and retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where migrations and batch writes are logged; nothing is logged when null.</param>
    /// <param name="busyTimeout">How long a write waits for another connection's (or process's) lock before failing; 5 s when null; 1 s to 10 min.</param>
    public SqliteFailureStore(string dbPath = FailureAnalyzerConstants.DefaultDatabasePath, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, TimeSpan? busyTimeout = null)
    {
        _db = new SqliteDatabase(dbPath, loggerFactory, busyTimeout);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _db.Path;

    /// <inheritdoc />
    public ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return ValueTask.FromResult(_db.RunInTransaction((c, tx) => Insert(c, tx, [failure]), cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        _db.RunInTransaction((c, tx) => Insert(c, tx, failures), cancellationToken);
        Log.FailureBatchWritten(_db.Logger, failures.Count, _db.Path);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ValueTask.FromResult(_db.Run<IReadOnlyList<Failure>>(
            c =>
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
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var cutoff = (_timeProvider.GetUtcNow() - TimeSpan.FromDays(days)).ToUnixTimeMilliseconds();
        return ValueTask.FromResult(_db.RunInTransaction(
            (c, tx) =>
            {
                // The rollup loses exactly what the table loses, in the same transaction.
                Exec(c, tx, """
                    INSERT INTO failure_rollup (day, operation, error_type, count)
                    SELECT timestamp / 86400000, operation, error_type, -count(*) FROM failures WHERE timestamp < $cutoff
                    GROUP BY timestamp / 86400000, operation, error_type
                    ON CONFLICT (day, operation, error_type) DO UPDATE SET count = count + excluded.count;
                    """, ("$cutoff", cutoff));
                Exec(c, tx, "DELETE FROM failure_rollup WHERE count <= 0;");
                return Exec(c, tx, "DELETE FROM failures WHERE timestamp < $cutoff;", ("$cutoff", cutoff));
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _db.Run(
            c => Exec(c, null, """
                INSERT INTO blacklist (strategy_name, operation, reason, failure_count, added_at, expires_at, is_automatic, times_blacklisted)
                VALUES ($s, $o, $r, $fc, $added, $expires, $auto, $times)
                ON CONFLICT (strategy_name, operation) DO UPDATE SET reason = excluded.reason, failure_count = excluded.failure_count,
                    added_at = excluded.added_at, expires_at = excluded.expires_at, is_automatic = excluded.is_automatic,
                    times_blacklisted = excluded.times_blacklisted;
                """,
                ("$s", entry.StrategyName), ("$o", entry.Operation), ("$r", entry.Reason), ("$fc", entry.FailureCount),
                ("$added", entry.AddedAt.ToUnixTimeMilliseconds()), ("$expires", entry.ExpiresAt?.ToUnixTimeMilliseconds()),
                ("$auto", entry.IsAutomatic ? 1 : 0), ("$times", entry.TimesBlacklisted)),
            cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return ValueTask.FromResult(_db.Run(
            c =>
            {
                using var cmd = Command(c, null, "SELECT 1 FROM blacklist WHERE strategy_name = $s AND operation = $o AND (expires_at IS NULL OR expires_at > $now);",
                    ("$s", strategyName), ("$o", operation), ("$now", now));
                return cmd.ExecuteScalar() is not null;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        return ValueTask.FromResult(_db.Run(
            c => Exec(c, null, "DELETE FROM blacklist WHERE strategy_name = $s AND operation = $o;", ("$s", strategyName), ("$o", operation)) > 0,
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return ValueTask.FromResult(_db.Run<IReadOnlyList<BlacklistEntry>>(
            c =>
            {
                using var cmd = Command(c, null,
                    "SELECT strategy_name, operation, reason, failure_count, added_at, expires_at, is_automatic, times_blacklisted FROM blacklist"
                    + (includeExpired ? string.Empty : " WHERE expires_at IS NULL OR expires_at > $now")
                    + " ORDER BY added_at, strategy_name, operation;",
                    ("$now", now));
                using var reader = cmd.ExecuteReader();
                var result = new List<BlacklistEntry>();
                while (reader.Read())
                {
                    result.Add(new BlacklistEntry
                    {
                        StrategyName = reader.GetString(0),
                        Operation = reader.GetString(1),
                        Reason = reader.GetString(2),
                        FailureCount = reader.GetInt32(3),
                        AddedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                        ExpiresAt = reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                        IsAutomatic = reader.GetInt32(6) != 0,
                        TimesBlacklisted = reader.GetInt32(7),
                    });
                }

                return result;
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        var firstDay = FailureAnalyticsBuilder.DayNumber(now) - (FailureAnalytics.TrendDays - 1);
        return ValueTask.FromResult(_db.Run(
            c =>
            {
                // One read transaction: the five reads see the same snapshot even while another process writes.
                using var tx = c.BeginTransaction(deferred: true);
                var builder = new FailureAnalyticsBuilder();
                using (var cmd = Command(c, tx, "SELECT coalesce(sum(count), 0) FROM failure_rollup;"))
                {
                    builder.AddTotal((long)cmd.ExecuteScalar()!);
                }

                using (var cmd = Command(c, tx, "SELECT error_type, sum(count) AS n FROM failure_rollup GROUP BY error_type ORDER BY n DESC, error_type LIMIT $top;", ("$top", FailureAnalytics.TopCount)))
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read())
                    {
                        builder.AddErrorType(r.GetString(0), r.GetInt64(1));
                    }
                }

                using (var cmd = Command(c, tx, "SELECT operation, sum(count) AS n FROM failure_rollup GROUP BY operation ORDER BY n DESC, operation LIMIT $top;", ("$top", FailureAnalytics.TopCount)))
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read())
                    {
                        builder.AddOperation(r.GetString(0), r.GetInt64(1));
                    }
                }

                using (var cmd = Command(c, tx, "SELECT day, sum(count) FROM failure_rollup WHERE day >= $first GROUP BY day;", ("$first", firstDay)))
                using (var r = cmd.ExecuteReader())
                {
                    while (r.Read())
                    {
                        builder.AddDay(r.GetInt64(0), r.GetInt64(1));
                    }
                }

                int blacklisted;
                using (var cmd = Command(c, tx, "SELECT count(*) FROM blacklist WHERE expires_at IS NULL OR expires_at > $now;", ("$now", now.ToUnixTimeMilliseconds())))
                {
                    blacklisted = (int)(long)cmd.ExecuteScalar()!;
                }

                tx.Commit();
                return builder.Build(now, blacklisted);
            },
            cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
    {
        _db.RunInTransaction(
            (c, tx) => Exec(c, tx, "DELETE FROM failures; DELETE FROM failure_rollup; DELETE FROM blacklist; DELETE FROM strategy_statistics;"),
            cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(increments);
        if (increments.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        _db.RunInTransaction(
            (c, tx) =>
            {
                using var cmd = Command(c, tx, """
                    INSERT INTO strategy_statistics (strategy_name, operation, successes, failures, latency_samples, total_latency_ticks, last_success_at, last_failure_at)
                    VALUES ($s, $o, $succ, $fail, $samples, $ticks, $ls, $lf)
                    ON CONFLICT (strategy_name, operation) DO UPDATE SET
                        successes = successes + excluded.successes,
                        failures = failures + excluded.failures,
                        latency_samples = latency_samples + excluded.latency_samples,
                        total_latency_ticks = total_latency_ticks + excluded.total_latency_ticks,
                        last_success_at = CASE WHEN excluded.last_success_at IS NULL THEN last_success_at
                            WHEN last_success_at IS NULL OR excluded.last_success_at > last_success_at THEN excluded.last_success_at ELSE last_success_at END,
                        last_failure_at = CASE WHEN excluded.last_failure_at IS NULL THEN last_failure_at
                            WHEN last_failure_at IS NULL OR excluded.last_failure_at > last_failure_at THEN excluded.last_failure_at ELSE last_failure_at END;
                    """);
                var p = cmd.Parameters;
                var s = p.Add("$s", SqliteType.Text);
                var o = p.Add("$o", SqliteType.Text);
                var succ = p.Add("$succ", SqliteType.Integer);
                var fail = p.Add("$fail", SqliteType.Integer);
                var samples = p.Add("$samples", SqliteType.Integer);
                var ticks = p.Add("$ticks", SqliteType.Integer);
                var ls = p.Add("$ls", SqliteType.Integer);
                var lf = p.Add("$lf", SqliteType.Integer);
                foreach (var inc in increments)
                {
                    s.Value = inc.StrategyName;
                    o.Value = inc.Operation;
                    succ.Value = inc.Successes;
                    fail.Value = inc.Failures;
                    samples.Value = inc.LatencySamples;
                    ticks.Value = inc.MeanLatency.Ticks * inc.LatencySamples;
                    ls.Value = (object?)inc.LastSuccessAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                    lf.Value = (object?)inc.LastFailureAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                    cmd.ExecuteNonQuery();
                }

                return 0;
            },
            cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_db.Run<IReadOnlyList<StrategyStatistics>>(
            c =>
            {
                using var cmd = Command(c, null, "SELECT strategy_name, operation, successes, failures, latency_samples, total_latency_ticks, last_success_at, last_failure_at FROM strategy_statistics;");
                using var r = cmd.ExecuteReader();
                var result = new List<StrategyStatistics>();
                while (r.Read())
                {
                    var samples = r.GetInt64(4);
                    result.Add(new StrategyStatistics
                    {
                        StrategyName = r.GetString(0),
                        Operation = r.GetString(1),
                        Successes = r.GetInt64(2),
                        Failures = r.GetInt64(3),
                        LatencySamples = samples,
                        MeanLatency = samples == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(r.GetInt64(5) / samples),
                        LastSuccessAt = r.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
                        LastFailureAt = r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
                    });
                }

                return result;
            },
            cancellationToken));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public override string ToString() => $"SQLite '{_db.Path}'";

    private static long Insert(SqliteConnection c, SqliteTransaction tx, IReadOnlyList<Failure> failures)
    {
        using var cmd = Command(c, tx, """
            INSERT INTO failures (timestamp, operation, strategy, error_type, error_message, category, status_code, context)
            VALUES ($ts, $op, $st, $et, $msg, $cat, $code, $ctx);
            """);
        var p = cmd.Parameters;
        var ts = p.Add("$ts", SqliteType.Integer);
        var op = p.Add("$op", SqliteType.Text);
        var st = p.Add("$st", SqliteType.Text);
        var et = p.Add("$et", SqliteType.Text);
        var msg = p.Add("$msg", SqliteType.Text);
        var cat = p.Add("$cat", SqliteType.Integer);
        var code = p.Add("$code", SqliteType.Integer);
        var ctx = p.Add("$ctx", SqliteType.Text);
        cmd.Prepare();

        // The rollup is summed per batch first: one upsert per (day, operation, error type), not per failure.
        var rollup = new Dictionary<(long Day, string Operation, string ErrorType), long>();
        foreach (var f in failures)
        {
            var ms = f.Timestamp.ToUnixTimeMilliseconds();
            ts.Value = ms;
            op.Value = f.Operation;
            st.Value = (object?)f.Strategy ?? DBNull.Value;
            et.Value = f.ErrorType;
            msg.Value = f.ErrorMessage;
            cat.Value = (int)f.Category;
            code.Value = (object?)f.StatusCode ?? DBNull.Value;
            ctx.Value = f.Context.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(f.Context, StorageJsonContext.Default.IReadOnlyDictionaryStringString);
            cmd.ExecuteNonQuery();
            var key = (ms / MillisecondsPerDay, f.Operation, f.ErrorType);
            rollup[key] = rollup.GetValueOrDefault(key) + 1;
        }

        long lastId;
        using (var id = Command(c, tx, "SELECT last_insert_rowid();"))
        {
            lastId = (long)id.ExecuteScalar()!;
        }

        using var up = Command(c, tx, """
            INSERT INTO failure_rollup (day, operation, error_type, count) VALUES ($d, $o, $e, $n)
            ON CONFLICT (day, operation, error_type) DO UPDATE SET count = count + excluded.count;
            """);
        var d = up.Parameters.Add("$d", SqliteType.Integer);
        var o = up.Parameters.Add("$o", SqliteType.Text);
        var e = up.Parameters.Add("$e", SqliteType.Text);
        var n = up.Parameters.Add("$n", SqliteType.Integer);
        foreach (var ((day, operation, errorType), count) in rollup)
        {
            d.Value = day;
            o.Value = operation;
            e.Value = errorType;
            n.Value = count;
            up.ExecuteNonQuery();
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

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private static int Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }
}
