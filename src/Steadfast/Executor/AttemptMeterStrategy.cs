using Polly;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Sits just inside the executor's retry: counts attempts into the context (for <see cref="ExecutionResult{T}.Attempts"/>)
/// and records each attempt's duration, rejections by the circuit or rate limit included.
/// </summary>
internal sealed class AttemptMeterStrategy(string name, TimeProvider time) : ResilienceStrategy
{
    public static readonly ResiliencePropertyKey<int> AttemptsKey = new("Steadfast.Attempts");

    private readonly System.Diagnostics.TagList _tags = PrimitiveMetrics.Name(name);

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        context.Properties.TryGetValue(AttemptsKey, out var attempts);
        context.Properties.Set(AttemptsKey, attempts + 1);
        var started = time.GetTimestamp();
        try
        {
            return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            PrimitiveMetrics.AttemptDuration.Record(time.GetElapsedTime(started).TotalSeconds, _tags);
        }
    }

    public sealed class Options : ResilienceStrategyOptions;
}
