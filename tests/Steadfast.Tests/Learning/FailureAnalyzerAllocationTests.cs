using Microsoft.Extensions.Time.Testing;
using Steadfast.Tests.Engine;

namespace Steadfast.Tests.Learning;

/// <summary>Runs in the engine's non-parallel allocation collection, so no other test's allocations land on this thread.</summary>
[Collection(nameof(ResilienceEngineAllocationTests))]
public class FailureAnalyzerAllocationTests
{
    [Fact]
    public async Task RecordSuccess_SteadyState_AllocatesNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var latency = TimeSpan.FromMilliseconds(5);
        for (var i = 0; i < 500; i++)
        {
            analyzer.RecordSuccess("alloc_op", "alloc_strategy", latency);
        }

        // A write between the warm-up and the measurement leaves the pending cell zeroed, as in steady state.
        await analyzer.FlushAsync();
        const int Calls = 5_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            analyzer.RecordSuccess("alloc_op", "alloc_strategy", latency);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Nothing per call: the only allocation allowed is the one re-arm of the flush timer after the write above
        // (FakeTimeProvider allocates on Change; it happens once per StatisticsFlushInterval, not once per success).
        Assert.InRange(allocated, 0, 100);
        Assert.Equal(500 + Calls, analyzer.GetStrategyStatistics("alloc_strategy", "alloc_op").Successes);
    }
}
