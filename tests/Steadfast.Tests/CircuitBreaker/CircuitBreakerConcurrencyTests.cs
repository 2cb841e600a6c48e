using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;
using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

public class CircuitBreakerConcurrencyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task ExecuteAsync_ManyCallersOnHalfOpenCircuit_AdmitExactlyHalfOpenMaxCalls(int maxCalls)
    {
        var time = NewTime();
        var cb = new Breaker("concurrent", new CircuitBreakerOptions { FailureThreshold = 1, Cooldown = TimeSpan.FromSeconds(1), HalfOpenMaxCalls = maxCalls, SuccessThreshold = 1 }, time);
        await FailTimes(cb, 1);
        time.Advance(TimeSpan.FromSeconds(1));

        const int callers = 64;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allDecided = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int admitted = 0, rejected = 0, decided = 0;
        void Decided()
        {
            if (Interlocked.Increment(ref decided) == callers)
            {
                allDecided.SetResult();
            }
        }

        var calls = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                return await cb.ExecuteAsync(async _ =>
                {
                    Interlocked.Increment(ref admitted);
                    Decided();
                    await release.Task;
                    return 1;
                });
            }
            catch (CircuitOpenException)
            {
                Interlocked.Increment(ref rejected);
                Decided();
                throw;
            }
        })).ToArray();

        gate.SetResult();
        await allDecided.Task;

        Assert.Equal(maxCalls, Volatile.Read(ref admitted));
        Assert.Equal(callers - maxCalls, rejected);
        release.SetResult();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.Equal(maxCalls, calls.Count(c => c.IsCompletedSuccessfully));
        Assert.All(calls.Where(c => c.IsFaulted), c => Assert.IsType<CircuitOpenException>(c.Exception!.InnerException));
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(callers - maxCalls, cb.GetMetrics().Rejections);
    }

    [Fact]
    public async Task ExecuteAsync_ParallelSuccessesAndFailures_CountersAddUp()
    {
        var cb = new Breaker("parallel", new CircuitBreakerOptions { FailureThreshold = 10_000 });
        const int perWorker = 2_000;
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWorker; i++)
            {
                if (i % 4 == 0)
                {
                    try
                    {
                        await cb.ExecuteAsync(Fail);
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }
                else
                {
                    await cb.ExecuteAsync(Ok);
                }
            }
        }));
        await Task.WhenAll(workers);
        var m = cb.GetMetrics();
        Assert.Equal(4 * perWorker, m.TotalCalls);
        Assert.Equal(perWorker, m.Failures);
        Assert.Equal(CircuitState.Closed, cb.State);
    }
}
