using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast.Sqlite;

/// <summary>The <c>blacklist</c> table: one entry per (strategy, operation), expired automatic entries kept so the next expiry can grow.</summary>
internal sealed class SqliteBlacklistTable(SqliteStoreConnection connection, TimeProvider timeProvider)
{
    public ValueTask<int> AddAsync(BlacklistEntry entry, CancellationToken cancellationToken)
        => connection.WriteAsync("add a blacklist entry", w => w.Execute("""
            INSERT INTO blacklist (strategy_name, operation, reason, failure_count, added_at, expires_at, is_automatic, times_blacklisted)
            VALUES ($s, $o, $r, $fc, $added, $expires, $auto, $times)
            ON CONFLICT (strategy_name, operation) DO UPDATE SET reason = excluded.reason, failure_count = excluded.failure_count,
                added_at = excluded.added_at, expires_at = excluded.expires_at, is_automatic = excluded.is_automatic,
                times_blacklisted = excluded.times_blacklisted;
            """,
            ("$s", entry.StrategyName), ("$o", entry.Operation), ("$r", entry.Reason), ("$fc", entry.FailureCount),
            ("$added", entry.AddedAt.ToUnixTimeMilliseconds()), ("$expires", Milliseconds(entry.ExpiresAt)),
            ("$auto", entry.IsAutomatic ? 1 : 0), ("$times", entry.TimesBlacklisted)), cancellationToken);

    public ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return connection.ReadAsync("read the blacklist", c =>
        {
            using var cmd = Command(c, "SELECT 1 FROM blacklist WHERE strategy_name = $s AND operation = $o AND (expires_at IS NULL OR expires_at > $now);",
                ("$s", strategyName), ("$o", operation), ("$now", now));
            return cmd.ExecuteScalar() is not null;
        }, cancellationToken);
    }

    public ValueTask<bool> RemoveAsync(string strategyName, string operation, CancellationToken cancellationToken)
        => connection.WriteAsync("remove a blacklist entry",
            w => w.Execute("DELETE FROM blacklist WHERE strategy_name = $s AND operation = $o;", ("$s", strategyName), ("$o", operation)) > 0,
            cancellationToken);

    public ValueTask<IReadOnlyList<BlacklistEntry>> GetAsync(bool includeExpired, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        return connection.ReadAsync<IReadOnlyList<BlacklistEntry>>("read the blacklist", c =>
        {
            using var cmd = Command(c,
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
                    ExpiresAt = FromMilliseconds(reader, 5),
                    IsAutomatic = reader.GetInt32(6) != 0,
                    TimesBlacklisted = reader.GetInt32(7),
                });
            }

            return result;
        }, cancellationToken);
    }
}
