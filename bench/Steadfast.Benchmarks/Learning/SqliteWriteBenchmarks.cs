using BenchmarkDotNet.Attributes;

namespace Steadfast.Benchmarks.Learning;

/// <summary>
/// Sustained persistence: failures written to SQLite in batched transactions (what the analyzer's background
/// writer does) beside one transaction per insert, in the same run. Times are per failure; failures per
/// second = 1 s / Mean.
/// </summary>
[MemoryDiagnoser]
public class SqliteWriteBenchmarks
{
    private const int Failures = 10_000;
    private string _dir = null!;
    private SqliteFailureStore _store = null!;
    private Failure[] _failures = null!;
    private FailureAnalyzer _analyzer = null!;
    private readonly Exception _exception = new TimeoutException("timed out");
    private DateTimeOffset _next;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "steadfast-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _store = new SqliteFailureStore(Path.Combine(_dir, "writes.db"));
        _store.GetFailuresAsync(null, null, null, 1).AsTask().GetAwaiter().GetResult(); // creates the schema before any benchmark runs
        var now = TimeProvider.System.GetUtcNow();
        _failures = [.. Enumerable.Range(0, Failures).Select(i => new Failure
        {
            Timestamp = now.AddMilliseconds(i),
            Operation = "op" + (i % 20),
            Strategy = "s" + (i % 3),
            ErrorType = i % 2 == 0 ? "TimeoutException" : "HttpRequestException",
            ErrorMessage = "The operation timed out after 30 s",
            Category = ErrorCategory.Timeout,
            Context = new Dictionary<string, string?> { ["provider"] = "service_a", ["endpoint"] = "/users/123" },
        })];
        _analyzer = new FailureAnalyzer(enablePersistence: true, dbPath: Path.Combine(_dir, "analyzer.db"));
        _next = now;
    }

    private Failure[] Fresh()
    {
        var fresh = new Failure[Failures];
        for (var i = 0; i < fresh.Length; i++)
        {
            _next = _next.AddMilliseconds(1);
            fresh[i] = _failures[i] with { Timestamp = _next };
        }

        return fresh;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _analyzer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Failures)]
    public async Task OneTransactionPerInsert()
    {
        foreach (var f in Fresh())
        {
            await _store.SaveFailureAsync(f);
        }
    }

    [Benchmark(OperationsPerInvoke = Failures)]
    public async Task Batched_1000PerTransaction()
    {
        var fresh = Fresh();
        for (var i = 0; i < Failures; i += 1000)
        {
            await _store.SaveFailuresAsync(new ArraySegment<Failure>(fresh, i, 1000));
        }
    }

    [Benchmark(OperationsPerInvoke = Failures)]
    public void RawSqlite_SameSchema_1000PerTransaction()
    {
        var fresh = Fresh();
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_store.DatabasePath}");
        c.Open();
        for (var i = 0; i < Failures; i += 1000)
        {
            using var tx = c.BeginTransaction();
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO failures (timestamp, operation, strategy, error_type, error_message, category) VALUES ($ts, $op, $st, $et, $msg, 2)";
            var ts = cmd.Parameters.Add("$ts", Microsoft.Data.Sqlite.SqliteType.Integer);
            var op = cmd.Parameters.Add("$op", Microsoft.Data.Sqlite.SqliteType.Text);
            var st = cmd.Parameters.Add("$st", Microsoft.Data.Sqlite.SqliteType.Text);
            var et = cmd.Parameters.Add("$et", Microsoft.Data.Sqlite.SqliteType.Text);
            var msg = cmd.Parameters.Add("$msg", Microsoft.Data.Sqlite.SqliteType.Text);
            cmd.Prepare();
            for (var j = i; j < i + 1000; j++)
            {
                var f = fresh[j];
                ts.Value = f.Timestamp.ToUnixTimeMilliseconds();
                op.Value = f.Operation;
                st.Value = f.Strategy;
                et.Value = f.ErrorType;
                msg.Value = f.ErrorMessage;
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    /// <summary>The whole pipeline: RecordFailure on the caller's thread, then FlushAsync waits for the background writer.</summary>
    [Benchmark(OperationsPerInvoke = Failures)]
    public async Task Analyzer_RecordThenFlush()
    {
        for (var i = 0; i < Failures; i++)
        {
            _analyzer.RecordFailure(_exception, "op" + (i % 20), strategy: null);
        }

        await _analyzer.FlushAsync();
    }
}
