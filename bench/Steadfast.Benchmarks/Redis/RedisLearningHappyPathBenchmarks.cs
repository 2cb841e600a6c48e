using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Steadfast.Benchmarks.Redis;

/// <summary>
/// Issue 14: the engine's happy path (an operation that succeeds at once) with the learning kept in SQLite and in Redis,
/// same run. Learning writes are write-behind, so the caller's latency should not depend on the store.
/// </summary>
[MemoryDiagnoser]
public class RedisLearningHappyPathBenchmarks
{
    private static readonly Task<string> Completed = Task.FromResult("value");
    private static readonly Func<CancellationToken, Task<string>> Operation = static _ => Completed;

    private IConnectionMultiplexer _redis = null!;
    private string _directory = null!;
    private ResilienceEngine _sqlite = null!;
    private ResilienceEngine _redisEngine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _redis = RedisBenchServer.Connect();
        _directory = Path.Combine(Path.GetTempPath(), "steadfast-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _sqlite = new ResilienceEngine(analyzer: new FailureAnalyzer(new SqliteFailureStore(Path.Combine(_directory, "learning.db"))));
        _redisEngine = new ResilienceEngine(analyzer: new FailureAnalyzer(new RedisFailureStore(_redis, RedisBenchServer.NewOptions())));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redisEngine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "engine, learning in SQLite")]
    public async Task<string?> SqliteLearning() => (await _sqlite.ExecuteAsync(Operation, "bench_op")).Value;

    [Benchmark(Description = "engine, learning in Redis")]
    public async Task<string?> RedisLearning() => (await _redisEngine.ExecuteAsync(Operation, "bench_op")).Value;
}
