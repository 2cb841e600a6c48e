using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Polly;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// One-line resilience (seed "Resilient Executor"): fallback, retry, circuit breaker, rate limit and a per-attempt
/// timeout combined in that order on one Polly pipeline, with presets for external APIs, databases and AI providers.
/// <see cref="ExecuteAsync{T}(Func{CancellationToken, ValueTask{T}}, Func{CancellationToken, ValueTask{T}}?, CancellationToken)"/>
/// returns an <see cref="ExecutionResult{T}"/> instead of throwing; only the caller's cancellation is thrown.
/// </summary>
/// <example>
/// <code>
/// var executor = ResilientExecutor.ForApi("my-service");
/// var r = await executor.ExecuteAsync(ct => CallAsync(ct), fallback: ct => CachedAsync(ct), cancellationToken);
/// if (!r.Success) logger.LogError(r.Error, "failed after {Attempts} attempts", r.Attempts);
/// </code>
/// </example>
public sealed class ResilientExecutor : IDisposable
{
    private static readonly ResiliencePropertyKey<bool> UsedFallbackKey = new("Steadfast.UsedFallback");

    private readonly ResiliencePipeline _core;
    private readonly ConcurrentDictionary<Type, object> _typedPipelines = new();
    private readonly RateLimitPolicy? _rateLimit;
    private readonly FallbackOptions? _fallbackOptions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly System.Diagnostics.TagList _successTags;
    private readonly System.Diagnostics.TagList _fallbackTags;
    private readonly System.Diagnostics.TagList _failureTags;

    /// <summary>Creates an executor.</summary>
    /// <param name="name">The name used in logs and metrics, and the name of its circuit in <paramref name="registry"/>; <see langword="null"/> for <c>custom</c>.</param>
    /// <param name="options">What to combine; <see langword="null"/> for the <see cref="ResilientExecutorOptions"/> defaults. Validated and copied here; later changes have no effect.</param>
    /// <param name="registry">Where the circuit lives (and whose clock it uses); <see langword="null"/> for <see cref="CircuitBreakerRegistry.Shared"/>.</param>
    /// <param name="timeProvider">The clock for retry waits, timeouts, the rate limit and durations; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the executor logs (category <c>Steadfast.ResilientExecutor</c>); <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentException">The name is empty or white space, or an option is invalid.</exception>
    public ResilientExecutor(
        string? name = null,
        ResilientExecutorOptions? options = null,
        CircuitBreakerRegistry? registry = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        Name = Guard.NotNullOrWhiteSpace(name ?? ResilientExecutorConstants.DefaultName, nameof(ResilientExecutor), nameof(name));
        options = options?.Clone() ?? new ResilientExecutorOptions();
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateRedactingLogger<ResilientExecutor>();
        _fallbackOptions = options.Fallback;
        _successTags = Tags(Name, "success");
        _fallbackTags = Tags(Name, "fallback");
        _failureTags = Tags(Name, "failure");

        var builder = new ResiliencePipelineBuilder { Name = Name, TimeProvider = _time };
        if (options.Retry is { } retry)
        {
            RetryBuilderExtensions.AddSteadfastRetry(builder, retry, Name, _logger, onRetry: null, randomizer: null);
        }

        AttemptMeterStrategy.Add(builder, Name, _time);

        if (options.CircuitBreaker is { } breakerOptions)
        {
            if (breakerOptions.ShouldHandle is null && options.RateLimit is not null)
            {
                // Our own rate limit refusing a call says nothing about the service's health.
                breakerOptions = breakerOptions.Clone();
                breakerOptions.ShouldHandle = static ex => ex is not RateLimitRejectedException;
            }

            CircuitBreaker = (registry ?? CircuitBreakerRegistry.Shared).GetOrCreate(Name, breakerOptions);
            builder.AddSteadfastCircuitBreaker(CircuitBreaker);
        }

        if (options.RateLimit is { } rateLimit)
        {
            _rateLimit = new RateLimitPolicy(Name, rateLimit, _time, _logger);
            builder.AddSteadfastRateLimiter(_rateLimit);
        }

        if (options.Timeout is { } timeout)
        {
            TimeoutBuilderExtensions.AddSteadfastTimeout(builder, timeout, Name, _logger);
        }

        _core = builder.Build();
    }

    /// <summary>The executor's name.</summary>
    public string Name { get; }

    /// <summary>The circuit guarding the calls, or <see langword="null"/> when the options have none.</summary>
    public CircuitBreaker? CircuitBreaker { get; }

    /// <summary>An executor for an external API (circuit 5 failures / 30 s, 3 attempts, 30 s per attempt).</summary>
    /// <param name="name">The service's name; also its circuit's name.</param>
    /// <param name="registry">Where the circuit lives; <see langword="null"/> for <see cref="CircuitBreakerRegistry.Shared"/>.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the executor logs; <see langword="null"/> for nowhere.</param>
    /// <returns>The executor.</returns>
    public static ResilientExecutor ForApi(string name, CircuitBreakerRegistry? registry = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        => new(name, ResilientExecutorOptions.ForApi(), registry, timeProvider, loggerFactory);

    /// <summary>An executor for a database (circuit 3 failures / 10 s, 2 attempts, 10 s per attempt).</summary>
    /// <param name="name">The database's name; also its circuit's name.</param>
    /// <param name="registry">Where the circuit lives; <see langword="null"/> for <see cref="CircuitBreakerRegistry.Shared"/>.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the executor logs; <see langword="null"/> for nowhere.</param>
    /// <returns>The executor.</returns>
    public static ResilientExecutor ForDatabase(string name, CircuitBreakerRegistry? registry = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        => new(name, ResilientExecutorOptions.ForDatabase(), registry, timeProvider, loggerFactory);

    /// <summary>An executor for an AI provider (circuit 3 failures / 60 s, 2 attempts, 120 s per attempt).</summary>
    /// <param name="name">The provider's name; also its circuit's name.</param>
    /// <param name="registry">Where the circuit lives; <see langword="null"/> for <see cref="CircuitBreakerRegistry.Shared"/>.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the executor logs; <see langword="null"/> for nowhere.</param>
    /// <returns>The executor.</returns>
    public static ResilientExecutor ForAiProvider(string name, CircuitBreakerRegistry? registry = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        => new(name, ResilientExecutorOptions.ForAiProvider(), registry, timeProvider, loggerFactory);

    /// <summary>An executor combining exactly what <paramref name="options"/> asks for.</summary>
    /// <param name="name">The name; <see langword="null"/> for <c>custom</c>.</param>
    /// <param name="options">What to combine.</param>
    /// <param name="registry">Where the circuit lives; <see langword="null"/> for <see cref="CircuitBreakerRegistry.Shared"/>.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the executor logs; <see langword="null"/> for nowhere.</param>
    /// <returns>The executor.</returns>
    public static ResilientExecutor Custom(string? name, ResilientExecutorOptions options, CircuitBreakerRegistry? registry = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(name, options, registry, timeProvider, loggerFactory);
    }

    /// <summary>An executor named <c>custom</c> combining exactly what <paramref name="options"/> asks for.</summary>
    /// <param name="options">What to combine.</param>
    /// <returns>The executor.</returns>
    public static ResilientExecutor Custom(ResilientExecutorOptions options) => Custom(null, options);

    /// <summary>Runs <paramref name="operation"/> through the executor, without a fallback.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation; it receives a token cancelled by the caller or by the per-attempt timeout.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The outcome; operation failures are in <see cref="ExecutionResult{T}.Error"/>.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public ValueTask<ExecutionResult<T>> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> operation, CancellationToken cancellationToken)
        => ExecuteAsync(operation, null, cancellationToken);

    /// <summary>Runs <paramref name="operation"/> through the executor; on failure runs <paramref name="fallback"/> when given.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="operation">The operation; it receives a token cancelled by the caller or by the per-attempt timeout.</param>
    /// <param name="fallback">Produces a replacement value when every attempt failed or the circuit is open; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The outcome; operation (and fallback) failures are in <see cref="ExecutionResult{T}.Error"/>.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async ValueTask<ExecutionResult<T>> ExecuteAsync<T>(
        Func<CancellationToken, ValueTask<T>> operation,
        Func<CancellationToken, ValueTask<T>>? fallback = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var pipeline = GetTypedPipeline<T>();
        var context = ResilienceContextPool.Shared.Get(Name, cancellationToken);
        var started = _time.GetTimestamp();
        try
        {
            if (fallback is not null)
            {
                context.Properties.Set(FallbackKey<T>.Key, fallback);
            }

            var outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, op) =>
                {
                    try
                    {
                        return Outcome.FromResult(await op(ctx.CancellationToken).ConfigureAwait(ctx.ContinueOnCapturedContext));
                    }
#pragma warning disable CA1031 // The executor reports every operation failure in its result.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        return Outcome.FromException<T>(ex);
                    }
                },
                context,
                operation).ConfigureAwait(false);

            var duration = _time.GetElapsedTime(started);
            if (outcome.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                ExceptionDispatchInfo.Throw(outcome.Exception);
            }

            var attempts = AttemptMeterStrategy.GetAttempts(context);
            context.Properties.TryGetValue(UsedFallbackKey, out var usedFallback);
            var result = new ExecutionResult<T>
            {
                Success = outcome.Exception is null,
                Value = outcome.Exception is null ? outcome.Result : default,
                Error = outcome.Exception,
                Attempts = attempts,
                Duration = duration,
                UsedFallback = usedFallback,
            };
            Record(result);
            return result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Releases the rate limiter, if any (queued callers are rejected). The shared circuit stays in its registry. Idempotent.</summary>
    public void Dispose() => _rateLimit?.Dispose();

    private static System.Diagnostics.TagList Tags(string name, string outcome) => new()
    {
        { PolicyTags.Name, name },
        { ResilientExecutorTelemetry.OutcomeTag, outcome },
    };

    private void Record<T>(ExecutionResult<T> result)
    {
        var tags = result.Success ? (result.UsedFallback ? _fallbackTags : _successTags) : _failureTags;
        ResilientExecutorTelemetry.Calls.Add(1, tags);
        if (result.Success)
        {
            Log.ExecutorCallCompleted(_logger, Name, result.UsedFallback ? "fallback" : "success", result.Attempts, result.Duration.TotalMilliseconds);
        }
        else
        {
            Log.ExecutorCallFailed(_logger, Name, result.Attempts, result.Duration.TotalMilliseconds, result.Error!);
        }
    }

    private ResiliencePipeline<T> GetTypedPipeline<T>()
    {
        if (_typedPipelines.TryGetValue(typeof(T), out var existing))
        {
            return (ResiliencePipeline<T>)existing;
        }

        // One typed pipeline per result type: the fallback is outermost, then the shared core (retry ... timeout).
        var builder = new ResiliencePipelineBuilder<T> { Name = Name, TimeProvider = _time };
        FallbackBuilderExtensions.AddSteadfastFallback(
            builder,
            static ctx => ctx.Properties.TryGetValue(FallbackKey<T>.Key, out var f) ? f : null,
            _fallbackOptions,
            Name,
            _logger,
            static ctx => ctx.Properties.Set(UsedFallbackKey, true));
        builder.AddPipeline(_core);
        return (ResiliencePipeline<T>)_typedPipelines.GetOrAdd(typeof(T), builder.Build());
    }

    private static class FallbackKey<T>
    {
        public static readonly ResiliencePropertyKey<Func<CancellationToken, ValueTask<T>>> Key = new("Steadfast.Fallback");
    }
}
