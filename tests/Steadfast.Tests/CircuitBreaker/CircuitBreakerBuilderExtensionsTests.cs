using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Retry;
using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;
using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

public class CircuitBreakerBuilderExtensionsTests
{
    private readonly FakeTimeProvider _time = NewTime();

    private Breaker Create(int threshold = 2) =>
        new("polly", new CircuitBreakerOptions { FailureThreshold = threshold, Cooldown = TimeSpan.FromSeconds(10), HalfOpenMaxCalls = 1, SuccessThreshold = 1 }, _time);

    [Fact]
    public async Task AddSteadfastCircuitBreaker_Success_PassesThroughAndCounts()
    {
        var cb = Create();
        var pipeline = new ResiliencePipelineBuilder().AddSteadfastCircuitBreaker(cb).Build();
        Assert.Equal(42, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(42)));
        Assert.Equal(1, cb.GetMetrics().Successes);
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_FailuresOpen_ThenRejectsWithoutInvoking()
    {
        var cb = Create();
        var pipeline = new ResiliencePipelineBuilder().AddSteadfastCircuitBreaker(cb).Build();
        var invocations = 0;
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(_ => { invocations++; throw new InvalidOperationException(); }).AsTask());
        }

        Assert.Equal(CircuitState.Open, cb.State);
        await Assert.ThrowsAsync<CircuitOpenException>(() => pipeline.ExecuteAsync(_ => { invocations++; return ValueTask.CompletedTask; }).AsTask());
        Assert.Equal(2, invocations);
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_InsideRetry_EveryAttemptCountsAndOpenCircuitStopsCalls()
    {
        var cb = Create(threshold: 2);
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, Delay = TimeSpan.Zero })
            .AddSteadfastCircuitBreaker(cb)
            .Build();
        var invocations = 0;
        await Assert.ThrowsAsync<CircuitOpenException>(() => pipeline.ExecuteAsync(_ => { invocations++; throw new TimeoutException(); }).AsTask());
        Assert.Equal(2, invocations);
        Assert.Equal(2, cb.GetMetrics().Rejections);
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_RetryBreakerTimeout_TimeoutsCountAsFailures()
    {
        var cb = Create(threshold: 1);
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 1, Delay = TimeSpan.Zero })
            .AddSteadfastCircuitBreaker(cb)
            .AddTimeout(TimeSpan.FromSeconds(1))
            .Build();
        var invocations = 0;
        var call = pipeline.ExecuteAsync(async ct =>
        {
            invocations++;
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, ct);
        }).AsTask();
        // The timeout's timer is registered before the operation starts; one advance fires it. Advancing further would
        // let the 10 s cooldown elapse and admit a probe, which is not what this test is about.
        Assert.Equal(1, invocations);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<CircuitOpenException>(() => call);
        Assert.Equal(1, invocations);
        Assert.Equal(CircuitState.Open, cb.State);
        Assert.Equal("TimeoutRejectedException", cb.GetStatus().LastError!.Split(':')[0]);
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_CallerCancellation_IsNotCounted()
    {
        var cb = Create(threshold: 1);
        var pipeline = new ResiliencePipelineBuilder().AddSteadfastCircuitBreaker(cb).Build();
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ExecuteAsync(async ct =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cts.Token).AsTask());
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_TypedPipelineWithResultPredicate_FailedResultsOpen()
    {
        var cb = Create(threshold: 2);
        var pipeline = new ResiliencePipelineBuilder<int>().AddSteadfastCircuitBreaker(cb, status => status >= 500).Build();
        Assert.Equal(200, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(200)));
        Assert.Equal(503, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(503)));
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(503, await pipeline.ExecuteAsync(static _ => ValueTask.FromResult(503)));
        Assert.Equal(CircuitState.Open, cb.State);
        Assert.Equal("Int32 result counted as a failure", cb.GetStatus().LastError);
        await Assert.ThrowsAsync<CircuitOpenException>(() => pipeline.ExecuteAsync(static _ => ValueTask.FromResult(200)).AsTask());
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_TypedPipelineWithoutPredicate_Works()
    {
        var cb = Create();
        var pipeline = new ResiliencePipelineBuilder<string>().AddSteadfastCircuitBreaker(cb).Build();
        Assert.Equal("ok", await pipeline.ExecuteAsync(static _ => ValueTask.FromResult("ok")));
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_ByName_SharesTheRegistryCircuit()
    {
        var registry = new CircuitBreakerRegistry(timeProvider: _time);
        var pipeline = new ResiliencePipelineBuilder().AddSteadfastCircuitBreaker("named", new CircuitBreakerOptions { FailureThreshold = 1 }, registry).Build();
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(_ => throw new InvalidOperationException()).AsTask());
        Assert.True(registry.TryGet("named", out var cb));
        Assert.Equal(CircuitState.Open, cb.State);
        await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(Ok).AsTask());
    }

    [Fact]
    public async Task AddSteadfastCircuitBreaker_HalfOpenProbeThroughPipeline_Closes()
    {
        var cb = Create(threshold: 1);
        var pipeline = new ResiliencePipelineBuilder().AddSteadfastCircuitBreaker(cb).Build();
        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(_ => throw new InvalidOperationException()).AsTask());
        _time.Advance(TimeSpan.FromSeconds(10));
        await pipeline.ExecuteAsync(static _ => ValueTask.CompletedTask);
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Fact]
    public void AddSteadfastCircuitBreaker_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ResiliencePipelineBuilder().AddSteadfastCircuitBreaker(null!));
        Assert.Throws<ArgumentNullException>(() => new ResiliencePipelineBuilder<int>().AddSteadfastCircuitBreaker(Create(), null!));
    }
}
