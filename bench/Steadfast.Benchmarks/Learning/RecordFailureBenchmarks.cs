using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Steadfast.Benchmarks.Learning;

/// <summary>
/// <see cref="FailureAnalyzer.RecordFailure"/> as the caller sees it, with SQLite persistence on and off.
/// There is no Polly equivalent (Polly does not record or persist failures); the baselines are the analyzer
/// without persistence and a bare <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/> enqueue.
/// <c>Persistent_Timed</c> times every single call with <see cref="Stopwatch.GetTimestamp"/> and prints the
/// per-call percentiles (p50/p90/p99/p99.9) at the end of the run.
/// </summary>
[MemoryDiagnoser]
public class RecordFailureBenchmarks
{
    private const int Calls = 1000;
    private static readonly long[] Samples = new long[1 << 22];
    private static int _sampleCount;

    private readonly Exception _exception = new TimeoutException("The operation 'fetch 1234' timed out after 30 s");
    private readonly Dictionary<string, object?> _context = new() { ["provider"] = "service_a", ["endpoint"] = "/users/123", ["api_key"] = "sk-live" };
    private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _queue = new();
    private string _dir = null!;
    private FailureAnalyzer _memory = null!;
    private FailureAnalyzer _persistent = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "steadfast-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _memory = new FailureAnalyzer();
        _persistent = new FailureAnalyzer(enablePersistence: true, dbPath: Path.Combine(_dir, "failures.db"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _memory.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _persistent.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_sampleCount > 0)
        {
            var n = Math.Min(_sampleCount, Samples.Length);
            var sorted = Samples.AsSpan(0, n).ToArray();
            Array.Sort(sorted);
            double Us(double q) => sorted[Math.Min(n - 1, (int)(q * n))] * 1_000_000.0 / Stopwatch.Frequency;
            var line = $"RecordFailure (persistence on) per-call latency over {n:N0} calls: p50 {Us(0.50):0.000} us, p90 {Us(0.90):0.000} us, p99 {Us(0.99):0.000} us, p99.9 {Us(0.999):0.000} us, max {Us(1.0):0.000} us; dropped {_persistent.DroppedFailures:N0}";
            Console.WriteLine("// " + line);
            File.AppendAllText(Path.Combine(Path.GetTempPath(), "steadfast-bench", "recordfailure-percentiles.txt"), line + Environment.NewLine);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public void ConcurrentQueue_Enqueue()
    {
        for (var i = 0; i < Calls; i++)
        {
            _queue.Enqueue(_exception);
        }

        _queue.Clear();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void Analyzer_InMemory()
    {
        for (var i = 0; i < Calls; i++)
        {
            _memory.RecordFailure(_exception, "fetch_data", _context, "primary");
        }
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void Analyzer_Persistent()
    {
        for (var i = 0; i < Calls; i++)
        {
            _persistent.RecordFailure(_exception, "fetch_data", _context, "primary");
        }
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void Analyzer_Persistent_Timed()
    {
        for (var i = 0; i < Calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _persistent.RecordFailure(_exception, "fetch_data", _context, "primary");
            var elapsed = Stopwatch.GetTimestamp() - start;
            var slot = _sampleCount++;
            if (slot < Samples.Length)
            {
                Samples[slot] = elapsed;
            }
        }
    }
}
