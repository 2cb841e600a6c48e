using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Steadfast.Benchmarks.Durable;

/// <summary>
/// The cost of durability for a long job: 1,000 steps of 1 ms with a 10 KB state, saved after every step, against the
/// same loop without saving. Goal: under 5% overhead. A step waits 1 ms on the stopwatch (spinning): <c>Task.Delay(1)</c>
/// lasts anywhere from 1 to 4+ ms on a busy machine, which would drown the difference being measured.
/// </summary>
[MemoryDiagnoser]
public class CheckpointOverheadBenchmarks
{
    private const int Steps = 1000;
    private string _directory = null!;
    private SqliteCheckpointStore _sqlite = null!;
    private FileCheckpointStore _files = null!;
    private BenchState _state = null!;
    private int _run;

    /// <summary>The job's state: 100 work items, 10.0 KB as JSON.</summary>
    public sealed record BenchState(int Step, WorkItem[] Items);

    /// <summary>One entry of the state.</summary>
    public sealed record WorkItem(int Id, string Name, string Status, long Score);

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "steadfast-bench-" + Guid.NewGuid().ToString("N"));
        _sqlite = new SqliteCheckpointStore(Path.Combine(_directory, "checkpoints.db"));
        _files = new FileCheckpointStore(Path.Combine(_directory, "files"));
        _state = new BenchState(0, [.. Enumerable.Range(0, 100).Select(i => new WorkItem(i, $"customer-{i:D6}-northwest-region-account", "pending-review", i * 1000L))]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "1,000 steps, no checkpoint")]
    public async Task<int> NoCheckpoint()
    {
        var state = _state;
        for (var i = 0; i < Steps; i++)
        {
            await OneMillisecondStep();
            state = Step(state, i);
        }

        return state.Step;
    }

    [Benchmark(Description = "WorkflowCheckpoint.SaveAsync after every step (SQLite)")]
    public async Task<int> CheckpointEveryStepSqlite()
    {
        var checkpoint = new WorkflowCheckpoint<BenchState>(_sqlite, "bench-" + _run++);
        var state = _state;
        for (var i = 0; i < Steps; i++)
        {
            await OneMillisecondStep();
            state = Step(state, i);
            await checkpoint.SaveAsync(state);
        }

        return state.Step;
    }

    /// <summary>
    /// The saves alone, without the steps: Mean / 1,000 is the cost of one save, and that cost over 1 ms is the overhead,
    /// without the spinning arms' scheduler noise (a 1 ms spin preempted on a loaded machine lasts several ms).
    /// </summary>
    [Benchmark(Description = "1,000 SaveAsync alone, no steps (SQLite)")]
    public async Task<int> SavesOnlySqlite()
    {
        var checkpoint = new WorkflowCheckpoint<BenchState>(_sqlite, "saves-" + _run++);
        var state = _state;
        for (var i = 0; i < Steps; i++)
        {
            state = Step(state, i);
            await checkpoint.SaveAsync(state);
        }

        return state.Step;
    }

    [Benchmark(Description = "WorkflowRunner, every step's 10 KB result stored (SQLite)")]
    public async Task<int> WorkflowRunnerSqlite()
    {
        var runner = new WorkflowRunner(_sqlite);
        var result = await runner.RunAsync("runner-" + _run++, _state, async (ctx, input, ct) =>
        {
            var state = input;
            for (var i = 0; i < Steps; i++)
            {
                var index = i;
                var previous = state;
                state = await ctx.StepAsync("step", async _ =>
                {
                    await OneMillisecondStep();
                    return Step(previous, index);
                });
            }

            return state.Step;
        });
        return result.Value;
    }

    [Benchmark(Description = "WorkflowCheckpoint.SaveAsync after every step (files, fsync each)")]
    public async Task<int> CheckpointEveryStepFiles()
    {
        var checkpoint = new WorkflowCheckpoint<BenchState>(_files, "bench-" + _run++);
        var state = _state;
        for (var i = 0; i < Steps; i++)
        {
            await OneMillisecondStep();
            state = Step(state, i);
            await checkpoint.SaveAsync(state);
        }

        return state.Step;
    }

    private static Task OneMillisecondStep()
    {
        var end = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 1000);
        while (Stopwatch.GetTimestamp() < end)
        {
            Thread.SpinWait(20);
        }

        return Task.CompletedTask;
    }

    private static BenchState Step(BenchState state, int i)
    {
        var items = state.Items;
        items[i % items.Length] = items[i % items.Length] with { Status = "processed", Score = i };
        return state with { Step = i };
    }
}
