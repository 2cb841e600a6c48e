using Microsoft.Data.Sqlite;
using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast.Sqlite;

/// <summary>The <c>strategy_statistics</c> table: writes are increments, so processes sharing the file add up instead of overwriting.</summary>
internal sealed class SqliteStatisticsTable(SqliteStoreConnection connection)
{
    private const string MergeSql = """
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
        """;

    public ValueTask<int> MergeAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken)
        => connection.WriteAsync("merge strategy statistics", w =>
        {
            var cmd = w.Statement(MergeSql);
            var p = cmd.Parameters;
            if (p.Count == 0)
            {
                p.Add("$s", SqliteType.Text);
                p.Add("$o", SqliteType.Text);
                p.Add("$succ", SqliteType.Integer);
                p.Add("$fail", SqliteType.Integer);
                p.Add("$samples", SqliteType.Integer);
                p.Add("$ticks", SqliteType.Integer);
                p.Add("$ls", SqliteType.Integer);
                p.Add("$lf", SqliteType.Integer);
            }

            foreach (var inc in increments)
            {
                p[0].Value = inc.StrategyName;
                p[1].Value = inc.Operation;
                p[2].Value = inc.Successes;
                p[3].Value = inc.Failures;
                p[4].Value = inc.LatencySamples;
                p[5].Value = inc.MeanLatency.Ticks * inc.LatencySamples;
                p[6].Value = Milliseconds(inc.LastSuccessAt);
                p[7].Value = Milliseconds(inc.LastFailureAt);
                cmd.ExecuteNonQuery();
            }

            return increments.Count;
        }, cancellationToken);

    public ValueTask<IReadOnlyList<StrategyStatistics>> GetAsync(CancellationToken cancellationToken)
        => connection.ReadAsync<IReadOnlyList<StrategyStatistics>>("read strategy statistics", c =>
        {
            using var cmd = Command(c, "SELECT strategy_name, operation, successes, failures, latency_samples, total_latency_ticks, last_success_at, last_failure_at FROM strategy_statistics;");
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
                    LastSuccessAt = FromMilliseconds(r, 6),
                    LastFailureAt = FromMilliseconds(r, 7),
                });
            }

            return result;
        }, cancellationToken);
}
