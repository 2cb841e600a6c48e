using System.Runtime.CompilerServices;
using Polly;

namespace Steadfast;

/// <summary>
/// Adds a Steadfast <see cref="CircuitBreaker"/> to any Polly pipeline (including the handlers of
/// <c>Microsoft.Extensions.Http.Resilience</c>), through Polly's custom-strategy API. The circuit sees each
/// execution that reaches it: put it inside a retry so every attempt counts, and outside a per-attempt timeout so
/// timeouts count as failures.
/// </summary>
/// <remarks>
/// A refused call surfaces as a <see cref="CircuitOpenException"/> outcome; Polly's retry handles it like any other
/// exception unless its <c>ShouldHandle</c> excludes it (<see cref="CircuitOpenException.RetryAfter"/> tells how long to wait).
/// The caller's cancellation (<see cref="ResilienceContext.CancellationToken"/>) never counts as a failure.
/// </remarks>
public static class CircuitBreakerBuilderExtensions
{
    /// <summary>Adds <paramref name="circuitBreaker"/> to the pipeline. The same circuit may be shared by several pipelines.</summary>
    /// <typeparam name="TBuilder">The builder type (generic or not).</typeparam>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="circuitBreaker">The circuit; keep a reference to read its status or reset it.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder AddSteadfastCircuitBreaker<TBuilder>(this TBuilder builder, CircuitBreaker circuitBreaker)
        where TBuilder : ResiliencePipelineBuilderBase
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        return builder.AddStrategy(_ => new SteadfastCircuitBreakerStrategy(circuitBreaker));
    }

    /// <summary>
    /// Adds the circuit named <paramref name="name"/> from <paramref name="registry"/> (created with
    /// <paramref name="options"/> when it does not exist yet), so pipelines and direct callers share one circuit.
    /// </summary>
    /// <typeparam name="TBuilder">The builder type (generic or not).</typeparam>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="name">The circuit's name.</param>
    /// <param name="options">Options for a new circuit; <see langword="null"/> uses the registry's defaults.</param>
    /// <param name="registry">Where the circuit lives; <see langword="null"/> uses <see cref="CircuitBreakerRegistry.Shared"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TBuilder AddSteadfastCircuitBreaker<TBuilder>(this TBuilder builder, string name, CircuitBreakerOptions? options = null, CircuitBreakerRegistry? registry = null)
        where TBuilder : ResiliencePipelineBuilderBase
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSteadfastCircuitBreaker((registry ?? CircuitBreakerRegistry.Shared).GetOrCreate(name, options));
    }

    /// <summary>
    /// Adds <paramref name="circuitBreaker"/> to a typed pipeline, counting results that <paramref name="isFailure"/>
    /// accepts as failures too (for example HTTP responses with a 5xx status). Such a result is still returned to the caller.
    /// </summary>
    /// <typeparam name="TResult">The pipeline's result type.</typeparam>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="circuitBreaker">The circuit.</param>
    /// <param name="isFailure">Whether a result counts as a failure.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ResiliencePipelineBuilder<TResult> AddSteadfastCircuitBreaker<TResult>(
        this ResiliencePipelineBuilder<TResult> builder, CircuitBreaker circuitBreaker, Func<TResult, bool> isFailure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        ArgumentNullException.ThrowIfNull(isFailure);
        return builder.AddStrategy(_ => new SteadfastCircuitBreakerStrategy<TResult>(circuitBreaker, isFailure));
    }

    private sealed class SteadfastCircuitBreakerStrategy(CircuitBreaker breaker) : ResilienceStrategy
    {
        protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state) =>
            ExecuteThroughBreakerAsync(breaker, isFailure: null, callback, context, state);
    }

    private sealed class SteadfastCircuitBreakerStrategy<T>(CircuitBreaker breaker, Func<T, bool> isFailure) : ResilienceStrategy<T>
    {
        protected override ValueTask<Outcome<T>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<T>>> callback, ResilienceContext context, TState state) =>
            ExecuteThroughBreakerAsync(breaker, isFailure, callback, context, state);
    }

    // The one body of both strategies: admit, run, and count the outcome (an exception, or a result the typed
    // pipeline's predicate calls a failure).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Outcome<TResult>> ExecuteThroughBreakerAsync<TResult, TState>(
        CircuitBreaker breaker,
        Func<TResult, bool>? isFailure,
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        if (breaker.State != CircuitState.Closed && await breaker.TryAcquireAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext) is { } rejection)
        {
            return Outcome.FromException<TResult>(rejection);
        }

        var started = breaker.StartTiming();
        Outcome<TResult> outcome;
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
#pragma warning disable CA1031 // Polly strategies report exceptions as outcomes instead of throwing them.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = Outcome.FromException<TResult>(ex);
        }

        if (outcome.Exception is { } exception)
        {
            breaker.OnFailure(exception, started, context.CancellationToken);
        }
        else if (isFailure is not null && IsFailedResult(breaker, isFailure, outcome.Result!))
        {
            breaker.OnFailedResult(FailedResultDescription<TResult>.Text, started);
        }
        else
        {
            breaker.OnSuccess(started);
        }

        return outcome;
    }

    private static bool IsFailedResult<TResult>(CircuitBreaker breaker, Func<TResult, bool> isFailure, TResult result)
    {
        try
        {
            return isFailure(result);
        }
#pragma warning disable CA1031 // A faulty predicate must not break the call; the result then counts as a success.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            breaker.ReportPredicateFailure(ex);
            return false;
        }
    }

    private static class FailedResultDescription<TResult>
    {
        public static readonly string Text = $"{typeof(TResult).Name} result counted as a failure";
    }
}
