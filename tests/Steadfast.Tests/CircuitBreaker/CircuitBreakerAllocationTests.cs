using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

/// <summary>
/// Runs alone (no parallel collection): a meter listener started by another test would make the breaker record its
/// instruments on this thread, and those allocations are the listener's, not the closed path's. Inside the measured
/// loop only <c>Assert.True</c> is used: <c>Assert.Equal</c> allocates a comparer on every call.
/// </summary>
[CollectionDefinition(nameof(CircuitBreakerAllocationTests), DisableParallelization = true)]
public sealed class CircuitBreakerAllocationCollection;

[Collection(nameof(CircuitBreakerAllocationTests))]
public class CircuitBreakerAllocationTests
{
    public static TheoryData<CircuitBreakerMode> Modes => [CircuitBreakerMode.ConsecutiveFailures, CircuitBreakerMode.FailureRatio];

    [Theory]
    [MemberData(nameof(Modes))]
    public void TryAcquireAndRecordSuccess_ClosedCircuit_AllocateNothing(CircuitBreakerMode mode)
    {
        var cb = new Breaker($"alloc-{mode}", new CircuitBreakerOptions { Mode = mode });

        var allocated = AllocatedBy(() =>
        {
            Assert.True(cb.TryAcquire(out _));
            cb.RecordSuccess();
        });

        Assert.Equal(0, allocated);
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ExecuteAsync_ClosedCircuitSynchronousSuccess_AllocatesNothing(CircuitBreakerMode mode)
    {
        var cb = new Breaker($"alloc-exec-{mode}", new CircuitBreakerOptions { Mode = mode });
        Func<CancellationToken, ValueTask<int>> operation = static _ => ValueTask.FromResult(42);

        var allocated = AllocatedBy(() =>
        {
            var pending = cb.ExecuteAsync(operation);
            Assert.True(pending.IsCompletedSuccessfully && pending.Result == 42);
        });

        Assert.Equal(0, allocated);
        Assert.Equal(1_100, cb.GetMetrics().Successes);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TryAcquireAsync_ClosedCircuit_CompletesAtOnceAllocatingNothing(CircuitBreakerMode mode)
    {
        var cb = new Breaker($"alloc-async-{mode}", new CircuitBreakerOptions { Mode = mode });

        var allocated = AllocatedBy(() =>
        {
            var pending = cb.TryAcquireAsync();
            Assert.True(pending.IsCompletedSuccessfully && pending.Result is null);
            cb.RecordSuccess();
        });

        Assert.Equal(0, allocated);
    }

    private static long AllocatedBy(Action call)
    {
        for (var i = 0; i < 100; i++)
        {
            call();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            call();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
