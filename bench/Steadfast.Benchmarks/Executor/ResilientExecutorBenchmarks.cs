using BenchmarkDotNet.Attributes;
using Polly;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Retry;

namespace Steadfast.Benchmarks.Executor;

/// <summary>
/// The happy path of the composite executor (fallback, retry, circuit breaker, timeout per attempt) against the same
/// shape built with Polly alone, and a raw call. Both composites return an outcome instead of throwing.
/// </summary>
[MemoryDiagnoser]
public class ResilientExecutorBenchmarks
{
    private static readonly Func<CancellationToken, ValueTask<int>> Operation = static _ => ValueTask.FromResult(42);
    private static readonly Func<CancellationToken, ValueTask<int>> Fallback = static _ => ValueTask.FromResult(-1);

    private ResilientExecutor _executor = null!;
    private ResiliencePipeline<int> _polly = null!;

    [GlobalSetup]
    public void Setup()
    {
        _executor = ResilientExecutor.ForApi("bench-api", registry: new CircuitBreakerRegistry());
        _polly = new ResiliencePipelineBuilder<int>()
            .AddFallback(new FallbackStrategyOptions<int> { FallbackAction = static _ => Outcome.FromResultAsValueTask(-1) })
            .AddRetry(new RetryStrategyOptions<int> { MaxRetryAttempts = 2, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<int> { BreakDuration = TimeSpan.FromSeconds(30) })
            .AddTimeout(TimeSpan.FromSeconds(30))
            .Build();
    }

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<int> RawCall() => Operation(CancellationToken.None);

    [Benchmark]
    public async ValueTask<int> PollyPipeline()
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            var outcome = await _polly.ExecuteOutcomeAsync(static async (ctx, op) => Outcome.FromResult(await op(ctx.CancellationToken)), context, Operation);
            return outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    [Benchmark]
    public async ValueTask<int> SteadfastExecutor()
    {
        var result = await _executor.ExecuteAsync(Operation, Fallback);
        return result.Value;
    }
}
