namespace Steadfast.Tests.Engine;

/// <summary>
/// Runs alone (no parallel collection): a meter listener started by another test would record the engine's counters on
/// this thread and be counted as the engine's allocations.
/// </summary>
[CollectionDefinition(nameof(ResilienceEngineAllocationTests), DisableParallelization = true)]
public sealed class ResilienceEngineAllocationCollection;

[Collection(nameof(ResilienceEngineAllocationTests))]
public class ResilienceEngineAllocationTests
{
    [Fact]
    public async Task ExecuteAsync_FirstTrySuccess_AllocatesOnlyTheResult()
    {
        var engine = new ResilienceEngine(new ResilienceOptions { EnableLearning = false });
        var completed = Task.FromResult("value");
        Func<CancellationToken, Task<string>> operation = _ => completed;
        for (var i = 0; i < 200; i++)
        {
            await engine.ExecuteAsync(operation, "alloc");
        }

        const int Calls = 1_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            var pending = engine.ExecuteAsync(operation, "alloc");
            Assert.True(pending.IsCompletedSuccessfully);
            await pending; // completed: continues on this thread, so the thread's allocation counter sees everything
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;

        // One ResilienceResult<string> (176 bytes on 64-bit); anything more means a second allocation crept in.
        Assert.InRange(perCall, 1, 200);
    }

    [Fact]
    public async Task ExecuteAsync_FirstTrySuccessWithLearning_AllocatesOnlyTheResult()
    {
        // Learning on (the default): each success is recorded by the analyzer, which must add nothing per call.
        await using var engine = new ResilienceEngine();
        var completed = Task.FromResult("value");
        Func<CancellationToken, Task<string>> operation = _ => completed;
        for (var i = 0; i < 200; i++)
        {
            await engine.ExecuteAsync(operation, "alloc_learning");
        }

        const int Calls = 1_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            var pending = engine.ExecuteAsync(operation, "alloc_learning");
            Assert.True(pending.IsCompletedSuccessfully);
            await pending;
        }

        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;

        Assert.InRange(perCall, 1, 200);
    }
}
