using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Steadfast.Benchmarks.Redis;

/// <summary>
/// Issue 14: the Redis Streams queue end to end (enqueue 10,000 items, then claim, handle (no-op) and complete them with
/// 4 workers) beside the SQLite queue, in the same run. Figures per item (items/s = 1 s / Mean). Goal: at least 20,000
/// items/s on Redis on the 2-core machine (the server shares the cores).
/// </summary>
[MemoryDiagnoser]
public class RedisQueueThroughputBenchmarks
{
    private const int Items = 10_000;
    private const int EnqueueBatch = 100;
    private IConnectionMultiplexer _redis = null!;
    private string _directory = null!;
    private IQueueStore _store = null!;

    public sealed record Job(int Number, string Payload);

    [GlobalSetup]
    public void Setup() => _redis = RedisBenchServer.Connect();

    [GlobalCleanup]
    public void Cleanup() => _redis.Dispose();

    [IterationSetup(Targets = [nameof(SqliteBatchedEnqueue)])]
    public void SetupSqlite()
    {
        _directory = Path.Combine(Path.GetTempPath(), "steadfast-bench-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteQueueStore(Path.Combine(_directory, "queue.db"));
    }

    [IterationCleanup(Targets = [nameof(SqliteBatchedEnqueue)])]
    public void CleanupSqlite()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup(Targets = [nameof(RedisBatchedEnqueue), nameof(RedisSingleEnqueue)])]
    public void SetupRedis() => _store = new RedisQueueStore(_redis, "bench", RedisBenchServer.NewOptions());

    [Benchmark(Baseline = true, OperationsPerInvoke = Items, Description = "SQLite: EnqueueManyAsync(100) + 4 workers")]
    public Task SqliteBatchedEnqueue() => RunAsync(_store, batched: true);

    [Benchmark(OperationsPerInvoke = Items, Description = "Redis: EnqueueManyAsync(100) + 4 workers")]
    public Task RedisBatchedEnqueue() => RunAsync(_store, batched: true);

    [Benchmark(OperationsPerInvoke = Items, Description = "Redis: EnqueueAsync one by one + 4 workers")]
    public Task RedisSingleEnqueue() => RunAsync(_store, batched: false);

    private static async Task RunAsync(IQueueStore store, bool batched)
    {
        var queue = new DurableQueue<Job>(store, new DurableQueueOptions { MaxSize = Items });
        for (var i = 0; i < Items; i += batched ? EnqueueBatch : 1)
        {
            if (batched)
            {
                await queue.EnqueueManyAsync(Enumerable.Range(i, EnqueueBatch).Select(n => new Job(n, "order-" + n)), priority: i % 3);
            }
            else
            {
                await queue.EnqueueAsync(new Job(i, "order-" + i), priority: i % 3);
            }
        }

        await queue.ProcessAsync((job, ct) => Task.CompletedTask, workerCount: 4, stopWhenEmpty: true);
    }
}
