using BenchmarkDotNet.Attributes;

namespace Steadfast.Benchmarks.Durable;

/// <summary>
/// End-to-end queue throughput: enqueue 10,000 items, then claim, handle (no-op) and complete them all with 4 workers.
/// Each figure is per item (OperationsPerInvoke), so items/s = 1 s / Mean. Goal on SQLite: at least 10,000 items/s
/// (at most 100 µs per item). The in-memory store, same code path without a disk, shows what durability costs.
/// </summary>
[MemoryDiagnoser]
public class QueueThroughputBenchmarks
{
    private const int Items = 10_000;
    private const int EnqueueBatch = 100;
    private string _directory = null!;
    private SqliteQueueStore? _sqlite;

    public sealed record Job(int Number, string Payload);

    [IterationSetup(Targets = [nameof(SqliteBatchedEnqueue), nameof(SqliteSingleEnqueue)])]
    public void SetupSqlite()
    {
        _directory = Path.Combine(Path.GetTempPath(), "steadfast-bench-" + Guid.NewGuid().ToString("N"));
        _sqlite = new SqliteQueueStore(Path.Combine(_directory, "queue.db"));
    }

    [IterationCleanup(Targets = [nameof(SqliteBatchedEnqueue), nameof(SqliteSingleEnqueue)])]
    public void CleanupSqlite()
    {
        _sqlite?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items, Description = "in memory: EnqueueManyAsync(100) + 4 workers")]
    public Task InMemory() => RunAsync(new InMemoryQueueStore(), batched: true);

    [Benchmark(OperationsPerInvoke = Items, Description = "SQLite: EnqueueManyAsync(100) + 4 workers")]
    public Task SqliteBatchedEnqueue() => RunAsync(_sqlite!, batched: true);

    [Benchmark(OperationsPerInvoke = Items, Description = "SQLite: EnqueueAsync one by one + 4 workers")]
    public Task SqliteSingleEnqueue() => RunAsync(_sqlite!, batched: false);

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
