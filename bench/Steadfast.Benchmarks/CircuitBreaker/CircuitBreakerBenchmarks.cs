using BenchmarkDotNet.Attributes;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Steadfast.Benchmarks.CircuitBreaker;

/// <summary>
/// The closed-circuit success path, where a breaker spends nearly all of its life: a raw call, our breaker (directly
/// and as a Polly strategy), Polly's breaker, and a retry + breaker + timeout pipeline built with Polly alone versus
/// with our breaker. The operation completes synchronously, so the figures are the breakers' own overhead.
/// Baseline: Polly's circuit breaker.
/// </summary>
[MemoryDiagnoser]
public class CircuitBreakerBenchmarks
{
    private static readonly Func<CancellationToken, ValueTask<int>> Operation = static _ => ValueTask.FromResult(42);

    private Steadfast.CircuitBreaker _steadfast = null!;
    private Steadfast.CircuitBreaker _steadfastRatio = null!;
    private ResiliencePipeline _pollyBreaker = null!;
    private ResiliencePipeline _steadfastInPolly = null!;
    private ResiliencePipeline _pollyRetryBreakerTimeout = null!;
    private ResiliencePipeline _pollyRetrySteadfastTimeout = null!;

    [GlobalSetup]
    public void Setup()
    {
        _steadfast = new Steadfast.CircuitBreaker("bench");
        // Polly's breaker is a failure-ratio breaker: this is the like-for-like comparison.
        _steadfastRatio = new Steadfast.CircuitBreaker("bench-ratio", new CircuitBreakerOptions { Mode = CircuitBreakerMode.FailureRatio });
        _pollyBreaker = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();
        _steadfastInPolly = new ResiliencePipelineBuilder().AddSteadfastCircuitBreaker(new Steadfast.CircuitBreaker("bench-polly")).Build();
        _pollyRetryBreakerTimeout = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions())
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
            .AddTimeout(TimeSpan.FromSeconds(10))
            .Build();
        _pollyRetrySteadfastTimeout = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions())
            .AddSteadfastCircuitBreaker(new Steadfast.CircuitBreaker("bench-pipeline"))
            .AddTimeout(TimeSpan.FromSeconds(10))
            .Build();
    }

    [Benchmark]
    public ValueTask<int> RawCall() => Operation(CancellationToken.None);

    [Benchmark]
    public ValueTask<int> SteadfastCircuitBreaker() => _steadfast.ExecuteAsync(Operation, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> SteadfastCircuitBreakerFailureRatio() => _steadfastRatio.ExecuteAsync(Operation, CancellationToken.None);

    [Benchmark(Baseline = true)]
    public ValueTask<int> PollyCircuitBreaker() => _pollyBreaker.ExecuteAsync(Operation, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> SteadfastCircuitBreakerInPolly() => _steadfastInPolly.ExecuteAsync(Operation, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> PollyRetryBreakerTimeout() => _pollyRetryBreakerTimeout.ExecuteAsync(Operation, CancellationToken.None);

    [Benchmark]
    public ValueTask<int> PollyRetrySteadfastBreakerTimeout() => _pollyRetrySteadfastTimeout.ExecuteAsync(Operation, CancellationToken.None);
}
