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

        var perCall = await AllocatedPerCallAsync(engine, "alloc");

        // One ResilienceResult<string> (176 bytes on 64-bit); anything more means a second allocation crept in.
        Assert.InRange(perCall, 1, 200);
    }

    [Fact]
    public async Task ExecuteAsync_FirstTrySuccessWithLearning_AllocatesOnlyTheResult()
    {
        // Learning on (the default): each success is recorded by the analyzer, which must add nothing per call.
        await using var engine = new ResilienceEngine();

        var perCall = await AllocatedPerCallAsync(engine, "alloc_learning");

        Assert.InRange(perCall, 1, 200);
    }

    private static async Task<double> AllocatedPerCallAsync(ResilienceEngine engine, string operationName)
    {
        var completed = Task.FromResult("value");
        Func<CancellationToken, Task<string>> operation = _ => completed;
        for (var i = 0; i < 200; i++)
        {
            await engine.ExecuteAsync(operation, operationName);
        }

        const int Calls = 1_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            var pending = engine.ExecuteAsync(operation, operationName);
            Assert.True(pending.IsCompletedSuccessfully);
            await pending; // completed: continues on this thread, so the thread's allocation counter sees everything
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Calls;
    }
}
