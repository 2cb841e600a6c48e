using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast.Sqlite;

/// <summary>Analytics from the daily rollup: a few rows per day, however many failures are stored.</summary>
internal sealed class SqliteFailureAnalyticsQuery(SqliteStoreConnection connection, TimeProvider timeProvider)
{
    public ValueTask<FailureAnalytics> ReadAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var firstDay = FailureAnalyticsBuilder.DayNumber(now) - (FailureAnalytics.TrendDays - 1);
        return connection.ReadAsync("read analytics", c =>
        {
            // One read transaction: the five reads see the same snapshot even while another process writes.
            using var tx = c.BeginTransaction(deferred: true);
            var builder = new FailureAnalyticsBuilder();
            using (var cmd = Command(c, "SELECT coalesce(sum(count), 0) FROM failure_rollup;"))
            {
                cmd.Transaction = tx;
                builder.AddTotal((long)cmd.ExecuteScalar()!);
            }

            using (var cmd = Command(c, "SELECT error_type, sum(count) AS n FROM failure_rollup GROUP BY error_type ORDER BY n DESC, error_type LIMIT $top;", ("$top", FailureAnalytics.TopCount)))
            {
                cmd.Transaction = tx;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    builder.AddErrorType(r.GetString(0), r.GetInt64(1));
                }
            }

            using (var cmd = Command(c, "SELECT operation, sum(count) AS n FROM failure_rollup GROUP BY operation ORDER BY n DESC, operation LIMIT $top;", ("$top", FailureAnalytics.TopCount)))
            {
                cmd.Transaction = tx;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    builder.AddOperation(r.GetString(0), r.GetInt64(1));
                }
            }

            using (var cmd = Command(c, "SELECT day, sum(count) FROM failure_rollup WHERE day >= $first GROUP BY day;", ("$first", firstDay)))
            {
                cmd.Transaction = tx;
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    builder.AddDay(r.GetInt64(0), r.GetInt64(1));
                }
            }

            int blacklisted;
            using (var cmd = Command(c, "SELECT count(*) FROM blacklist WHERE expires_at IS NULL OR expires_at > $now;", ("$now", now.ToUnixTimeMilliseconds())))
            {
                cmd.Transaction = tx;
                blacklisted = (int)(long)cmd.ExecuteScalar()!;
            }

            tx.Commit();
            return builder.Build(now, blacklisted);
        }, cancellationToken);
    }
}
