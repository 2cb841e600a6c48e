using BenchmarkDotNet.Attributes;
using Steadfast;

namespace Steadfast.Benchmarks.Durable;

/// <summary>
/// End-to-end queue throughput: enqueue 10,000 items, then claim, handle (no-op) and complete them all with 4 workers.
/// Each figure is per item (OperationsPerInvoke). Goal on SQLite: at least 10,000 items/s, i.e. at most 100 µs per item.
/// The in-memory store, same code path without a disk, shows what durability costs.
/// </summary>
[MemoryDiagnoser]
public class QueueThroughputBenchmarks
{
    private const int Items = 10_000;
    private string _directory = null!;
    private SqliteQueueStore? _sqlite;

    public sealed record Job(int Number, string Payload);

    [IterationSetup(Target = nameof(Sqlite))]
    public void SetupSqlite()
    {
        _directory = Path.Combine(Path.GetTempPath(), "steadfast-bench-" + Guid.NewGuid().ToString("N"));
        _sqlite = new SqliteQueueStore(Path.Combine(_directory, "queue.db"));
    }

    [IterationCleanup(Target = nameof(Sqlite))]
    public void CleanupSqlite()
    {
        _sqlite?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items, Description = "in memory: enqueue + claim + handle + complete")]
    public Task InMemory() => RunAsync(new InMemoryQueueStore());

    [Benchmark(OperationsPerInvoke = Items, Description = "SQLite (WAL): enqueue + claim + handle + complete")]
    public Task Sqlite() => RunAsync(_sqlite!);

    private static async Task RunAsync(IQueueStore store)
    {
        var queue = new DurableQueue<Job>(store, new DurableQueueOptions { MaxSize = Items });
        for (var i = 0; i < Items; i++)
        {
            await queue.EnqueueAsync(new Job(i, "order-" + i), priority: i % 3);
        }

        await queue.ProcessAsync((job, ct) => Task.CompletedTask, workerCount: 4, stopWhenEmpty: true);
    }
}
