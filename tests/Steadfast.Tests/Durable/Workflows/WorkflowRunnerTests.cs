using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Durable.Workflows;

public sealed class WorkflowRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly List<string> _ran = [];

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Stores => ["memory", "file", "sqlite"];

    private ICheckpointStore CreateStore(string kind) => kind switch
    {
        "memory" => new InMemoryCheckpointStore(),
        "file" => new FileCheckpointStore(_temp.File("files")),
        _ => new SqliteCheckpointStore(_temp.File("wf.db")),
    };

    /// <summary>Three steps; the second fails while <paramref name="failTrain"/> says so.</summary>
    private Func<WorkflowContext, int, CancellationToken, Task<string>> Pipeline(Func<bool> failTrain) => async (ctx, input, ct) =>
    {
        var data = await ctx.StepAsync("fetch", c => Task.FromResult(Record("fetch", input * 2)));
        var model = await ctx.StepAsync("train", c => failTrain()
            ? throw new InvalidOperationException("GPU on fire")
            : Task.FromResult(Record("train", data + 1)));
        return await ctx.StepAsync("report", c => Task.FromResult(Record("report", $"model={model}")));
    };

    private T Record<T>(string step, T value)
    {
        lock (_ran)
        {
            _ran.Add(step);
        }

        return value;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RunAsync_Fresh_RunsEveryStep(string kind)
    {
        var runner = new WorkflowRunner(CreateStore(kind), timeProvider: _time);

        var result = await runner.RunAsync("research-7", 20, Pipeline(() => false));

        Assert.True(result.Success);
        Assert.Equal("model=41", result.Value);
        Assert.Null(result.Error);
        Assert.Equal(0, result.StepsReplayed);
        Assert.Equal(3, result.StepsExecuted);
        Assert.Equal(1, result.RunNumber);
        Assert.Equal(["fetch", "train", "report"], _ran);
        var info = await runner.GetWorkflowAsync("research-7");
        Assert.Equal(WorkflowStatus.Completed, info!.Status);
        Assert.Equal(3, info.CompletedSteps);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task RunAsync_StepFails_RecordedAndResumeSkipsCompletedSteps(string kind)
    {
        var store = CreateStore(kind);
        var runner = new WorkflowRunner(store, timeProvider: _time);
        var fail = true;

        var failed = await runner.RunAsync("w", 20, Pipeline(() => fail));

        Assert.False(failed.Success);
        Assert.IsType<InvalidOperationException>(failed.Error);
        var record = await runner.GetWorkflowAsync("w");
        Assert.Equal(WorkflowStatus.Failed, record!.Status);
        Assert.Contains("GPU on fire", record.Error, StringComparison.Ordinal);
        Assert.Equal(1, record.CompletedSteps);

        fail = false;
        _ran.Clear();
        var resumed = await new WorkflowRunner(store, timeProvider: _time).RunAsync("w", 20, Pipeline(() => fail),
            new WorkflowRunOptions { ResumeFromCheckpoint = true });

        Assert.True(resumed.Success);
        Assert.Equal("model=41", resumed.Value);
        Assert.Equal(1, resumed.StepsReplayed);
        Assert.Equal(2, resumed.StepsExecuted);
        Assert.Equal(2, resumed.RunNumber);
        Assert.Equal(["train", "report"], _ran);
        Assert.Equal(WorkflowStatus.Completed, (await runner.GetWorkflowAsync("w"))!.Status);
    }

    [Fact]
    public async Task RunAsync_CompletedWorkflowRunAgain_ReplaysEverything()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        await runner.RunAsync("w", 1, Pipeline(() => false));
        _ran.Clear();

        var again = await runner.RunAsync("w", 1, Pipeline(() => false));

        Assert.Equal("model=3", again.Value);
        Assert.Equal(3, again.StepsReplayed);
        Assert.Equal(0, again.StepsExecuted);
        Assert.Empty(_ran);
    }

    [Fact]
    public async Task RunAsync_ResumeFalse_StartsAfresh()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        await runner.RunAsync("w", 1, Pipeline(() => false));
        _ran.Clear();

        var fresh = await runner.RunAsync("w", 1, Pipeline(() => false), new WorkflowRunOptions { ResumeFromCheckpoint = false });

        Assert.Equal(3, fresh.StepsExecuted);
        Assert.Equal(0, fresh.StepsReplayed);
        Assert.Equal(["fetch", "train", "report"], _ran);
    }

    [Fact]
    public async Task StepAsync_SameNameInLoop_KeyedByOccurrence()
    {
        var store = new InMemoryCheckpointStore();
        var runner = new WorkflowRunner(store, timeProvider: _time);
        var keys = new List<string>();
        var failAt = 2;
        async Task<int> Body(WorkflowContext ctx, int n, CancellationToken ct)
        {
            var sum = 0;
            for (var i = 0; i < n; i++)
            {
                var index = i;
                sum += await ctx.StepAsync("item", (step, c) =>
                {
                    keys.Add(step.IdempotencyKey);
                    return index == failAt ? throw new InvalidOperationException("x") : Task.FromResult(index * 10);
                });
            }

            return sum;
        }

        await runner.RunAsync("loop", 4, Body);
        failAt = -1;
        keys.Clear();
        var resumed = await runner.RunAsync("loop", 4, Body);

        Assert.Equal(60, resumed.Value);
        Assert.Equal(2, resumed.StepsReplayed);
        Assert.Equal(["loop/item#2", "loop/item#3"], keys);
    }

    [Fact]
    public async Task StepAsync_IdempotencyKey_SameAcrossRuns()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        var seen = new List<(string Key, int Run)>();
        var fail = true;
        Task<int> Body(WorkflowContext ctx, int _, CancellationToken ct) => ctx.StepAsync("charge", (step, c) =>
        {
            seen.Add((step.IdempotencyKey, step.RunNumber));
            return fail ? throw new TimeoutException("lost reply") : Task.FromResult(1);
        });

        await runner.RunAsync("order-9", 0, Body);
        fail = false;
        await runner.RunAsync("order-9", 0, Body);

        Assert.Equal([("order-9/charge#0", 1), ("order-9/charge#0", 2)], seen);
    }

    [Fact]
    public async Task StepAsync_VoidStep_StoredAndReplayed()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        var calls = 0;
        Task<int> Body(WorkflowContext ctx, int _, CancellationToken ct) => Run(ctx);
        async Task<int> Run(WorkflowContext ctx)
        {
            await ctx.StepAsync("notify", c =>
            {
                calls++;
                return Task.CompletedTask;
            });
            return calls;
        }

        await runner.RunAsync("v", 0, Body);
        var again = await runner.RunAsync("v", 0, Body);

        Assert.Equal(1, calls);
        Assert.Equal(1, again.StepsReplayed);
    }

    [Fact]
    public async Task RunAsync_CorruptStoredStep_RunsThatStepAgain()
    {
        var store = new InMemoryCheckpointStore();
        var runner = new WorkflowRunner(store, timeProvider: _time);
        await runner.RunAsync("w", 1, Pipeline(() => false));
        var steps = await store.GetStepsAsync("w");
        var train = steps.Single(s => s.Key == "train#0");
        await store.SaveStepAsync(train with { Result = "999"u8.ToArray() }); // bytes no longer match the checksum
        _ran.Clear();

        var again = await runner.RunAsync("w", 1, Pipeline(() => false));

        Assert.Equal(["train"], _ran);
        Assert.Equal("model=3", again.Value);
    }

    [Fact]
    public async Task StepAsync_ResultOverLimit_FailsTheWorkflowWithTypedError()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);

        var result = await runner.RunAsync("big", 0, (ctx, _, ct) => ctx.StepAsync("load", c => Task.FromResult(new string('x', 500))),
            new WorkflowRunOptions { MaxStepResultBytes = 100 });

        var error = Assert.IsType<CheckpointTooLargeException>(result.Error);
        Assert.Contains("load#0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoOptions_UsesTheRunnersOptions()
    {
        var runnerOptions = new WorkflowRunOptions { MaxStepResultBytes = 100 };
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), runnerOptions, timeProvider: _time);
        runnerOptions.MaxStepResultBytes = 1000; // the runner took a copy
        Func<WorkflowContext, int, CancellationToken, Task<string>> big = (ctx, _, ct) => ctx.StepAsync("load", c => Task.FromResult(new string('x', 500)));

        var withRunners = await runner.RunAsync("a", 0, big);
        var withOwn = await runner.RunAsync("b", 0, big, new WorkflowRunOptions { MaxStepResultBytes = 1000 });

        Assert.IsType<CheckpointTooLargeException>(withRunners.Error);
        Assert.True(withOwn.Success);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new WorkflowRunner(new InMemoryCheckpointStore(), new WorkflowRunOptions { MaxStepResultBytes = 0 }));

        Assert.StartsWith("WorkflowRunOptions.MaxStepResultBytes must be between 1 and 1073741824; was 0.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepAsync_StoredResultOfAnotherType_FailsWithClearError()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        await runner.RunAsync("w", 0, (ctx, _, ct) => ctx.StepAsync("s", c => Task.FromResult("text")));

        var result = await runner.RunAsync("w", 0, (ctx, _, ct) => ctx.StepAsync("s", c => Task.FromResult(42)));

        Assert.False(result.Success);
        Assert.Contains("ResumeFromCheckpoint = false", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_ThrowsAndRecordsCancelled()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync("w", 0, async (ctx, _, ct) =>
        {
            await ctx.StepAsync("one", c => Task.FromResult(1));
            await cts.CancelAsync();
            return await ctx.StepAsync("two", c => Task.FromResult(2));
        }, cancellationToken: cts.Token));

        var record = await runner.GetWorkflowAsync("w");
        Assert.Equal(WorkflowStatus.Cancelled, record!.Status);
        Assert.Equal(1, record.CompletedSteps);
    }

    [Fact]
    public async Task RunAsync_SameIdConcurrently_Rejected()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = runner.RunAsync("w", 0, (ctx, _, ct) => ctx.StepAsync("wait", c => gate.Task));

        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync("w", 0, (ctx, _, ct) => Task.FromResult(0)));

        gate.SetResult(5);
        Assert.Equal(5, (await first).Value);
        Assert.True((await runner.RunAsync("w", 0, (ctx, _, ct) => Task.FromResult(0))).Success);
    }

    [Fact]
    public async Task CleanupAsync_OldCompleted_DeletedRecentAndFailedKept()
    {
        var store = new SqliteCheckpointStore(_temp.File("wf.db"));
        var runner = new WorkflowRunner(store, timeProvider: _time);
        await runner.RunAsync("old", 0, (ctx, _, ct) => ctx.StepAsync("s", c => Task.FromResult(1)));
        await runner.RunAsync("old-failed", 0, (ctx, _, ct) => ctx.StepAsync<int>("s", c => throw new InvalidOperationException()));
        await new WorkflowCheckpoint<int>(store, "old").SaveAsync(1);
        _time.Advance(TimeSpan.FromDays(8));
        await runner.RunAsync("recent", 0, (ctx, _, ct) => ctx.StepAsync("s", c => Task.FromResult(1)));

        Assert.Equal(1, await runner.CleanupAsync(TimeSpan.FromDays(7)));

        Assert.Null(await runner.GetWorkflowAsync("old"));
        Assert.Empty(await store.GetStepsAsync("old"));
        Assert.Empty(await store.ListCheckpointsAsync("old"));
        Assert.NotNull(await runner.GetWorkflowAsync("recent"));
        Assert.NotNull(await runner.GetWorkflowAsync("old-failed"));
        Assert.Equal(1, await runner.CleanupAsync(TimeSpan.FromDays(7), includeFailed: true));
        Assert.Equal(["recent"], (await runner.ListWorkflowsAsync()).Select(w => w.WorkflowId));
    }

    [Fact]
    public async Task ListWorkflowsAsync_ByStatus_Filters()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        await runner.RunAsync("ok", 0, (ctx, _, ct) => Task.FromResult(1));
        await runner.RunAsync("bad", 0, (ctx, _, ct) => Task.FromException<int>(new InvalidOperationException()));

        Assert.Equal(["bad"], (await runner.ListWorkflowsAsync(WorkflowStatus.Failed)).Select(w => w.WorkflowId));
        Assert.Equal(2, (await runner.ListWorkflowsAsync()).Count);
    }

    [Fact]
    public async Task RunAsync_InvalidOptions_Throws()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore());

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            runner.RunAsync("w", 0, (ctx, _, ct) => Task.FromResult(0), new WorkflowRunOptions { MaxStepResultBytes = 0 }));

        Assert.StartsWith("WorkflowRunOptions.MaxStepResultBytes must be between 1 and 1073741824; was 0.", ex.Message, StringComparison.Ordinal);
    }
}
