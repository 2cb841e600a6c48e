using BenchmarkDotNet.Attributes;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Steadfast.Benchmarks.Engine;

/// <summary>
/// Issue 3, happy path: an operation that succeeds at once, called raw, through a Polly retry + circuit breaker + timeout
/// pipeline, and through <see cref="ResilienceEngine.ExecuteAsync{T}"/> (with and without learning). Same run, same operation.
/// Goal: the engine within 2x of the Polly pipeline and at most one small allocation (the result) per call.
/// </summary>
[MemoryDiagnoser]
public class EngineHappyPathBenchmarks
{
    private static readonly Task<string> Completed = Task.FromResult("value");
    private static readonly Func<CancellationToken, Task<string>> Operation = static _ => Completed;

    private ResiliencePipeline _polly = null!;
    private ResilienceEngine _engine = null!;
    private ResilienceEngine _engineNoLearning = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The same shape the engine builds per strategy (retry with backoff and jitter, timeout per attempt), plus Polly's breaker.
        _polly = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(60),
            })
            .AddCircuitBreaker(new Polly.CircuitBreaker.CircuitBreakerStrategyOptions())
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(30) })
            .Build();
        _engine = new ResilienceEngine();
        _engineNoLearning = new ResilienceEngine(new ResilienceOptions { EnableLearning = false });
    }

    [Benchmark(Baseline = true)]
    public async Task<string> RawCall() => await Operation(CancellationToken.None);

    [Benchmark]
    public async Task<string> PollyRetryBreakerTimeout() =>
        await _polly.ExecuteAsync(static (op, ct) => new ValueTask<string>(op(ct)), Operation, CancellationToken.None);

    [Benchmark]
    public async Task<string?> Engine()
    {
        var r = await _engine.ExecuteAsync(Operation, "bench_op");
        return r.Value;
    }

    [Benchmark]
    public async Task<string?> EngineWithoutLearning()
    {
        var r = await _engineNoLearning.ExecuteAsync(Operation, "bench_op");
        return r.Value;
    }
}
