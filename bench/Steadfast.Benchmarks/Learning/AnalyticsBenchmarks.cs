using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Steadfast.Benchmarks.Learning;

/// <summary>
/// <c>GetAnalyticsAsync</c> over 1,000,000 stored failures (30 days, 50 operations, 20 error types), beside the
/// same analytics computed with GROUP BY over the failures table (what a store without the rollup would do).
/// The database is built once and reused from the temp directory.
/// </summary>
[MemoryDiagnoser]
public class AnalyticsBenchmarks
{
    private const int Rows = 1_000_000;
    private static readonly string Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "steadfast-bench", "analytics-1m.db");
    private SqliteFailureStore _store = null!;
    private FailureAnalyzer _analyzer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new SqliteFailureStore(Path);
        if (_store.GetFailureAnalyticsAsync().AsTask().GetAwaiter().GetResult().TotalFailures != Rows)
        {
            _store.ClearAllAsync().AsTask().GetAwaiter().GetResult();
            var now = TimeProvider.System.GetUtcNow();
            var batch = new Failure[10_000];
            for (var done = 0; done < Rows; done += batch.Length)
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    var n = done + i;
                    batch[i] = new Failure
                    {
                        Timestamp = now.AddSeconds(-(n % (30 * 86_400))),
                        Operation = "operation_" + (n % 50),
                        ErrorType = "Error" + (n * 7 % 20),
                        ErrorMessage = "failure " + n,
                        Category = ErrorCategory.Timeout,
                    };
                }

                _store.SaveFailuresAsync(batch).AsTask().GetAwaiter().GetResult();
            }
        }

        _analyzer = new FailureAnalyzer(_store);
    }

    [GlobalCleanup]
    public void Cleanup() => _analyzer.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public long GroupByOverFailuresTable()
    {
        using var c = new SqliteConnection($"Data Source={Path}");
        c.Open();
        long sum = 0;
        foreach (var sql in new[]
        {
            "SELECT count(*) FROM failures",
            "SELECT error_type, count(*) n FROM failures GROUP BY error_type ORDER BY n DESC LIMIT 10",
            "SELECT operation, count(*) n FROM failures GROUP BY operation ORDER BY n DESC LIMIT 10",
            "SELECT timestamp / 86400000 d, count(*) FROM failures WHERE timestamp >= (strftime('%s','now') - 7 * 86400) * 1000 GROUP BY d",
        })
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                sum += r.GetInt64(r.FieldCount - 1);
            }
        }

        return sum;
    }

    [Benchmark]
    public async Task<long> Store_GetFailureAnalyticsAsync() => (await _store.GetFailureAnalyticsAsync()).TotalFailures;

    [Benchmark]
    public async Task<long> Analyzer_GetAnalyticsAsync() => (await _analyzer.GetAnalyticsAsync()).TotalFailures;
}
