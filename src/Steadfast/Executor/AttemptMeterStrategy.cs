using System.Diagnostics.CodeAnalysis;
using Polly;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Sits just inside the executor's retry: counts attempts into the context (for <see cref="ExecutionResult{T}.Attempts"/>)
/// and records each attempt's duration, rejections by the circuit or rate limit included.
/// </summary>
internal sealed class AttemptMeterStrategy(string name, TimeProvider time) : ResilienceStrategy
{
    // Stored as pre-boxed objects: a ResiliencePropertyKey<int> would box on every attempt of every call.
    private static readonly ResiliencePropertyKey<object> AttemptsKey = new("Steadfast.Attempts");
    private static readonly object[] BoxedCounts = [.. Enumerable.Range(0, RetryConstants.MaxMaxAttempts + 1).Select(i => (object)i)];

    private readonly System.Diagnostics.TagList _tags = PolicyTags.For(name);

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        var attempts = GetAttempts(context) + 1;
        context.Properties.Set(AttemptsKey, attempts < BoxedCounts.Length ? BoxedCounts[attempts] : attempts);
        var started = time.GetTimestamp();
        try
        {
            return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        finally
        {
            ResilientExecutorTelemetry.AttemptDuration.Record(time.GetElapsedTime(started).TotalSeconds, _tags);
        }
    }

    /// <summary>How many attempts the execution using <paramref name="context"/> has made so far.</summary>
    public static int GetAttempts(ResilienceContext context) =>
        context.Properties.TryGetValue(AttemptsKey, out var boxed) ? (int)boxed : 0;

    /// <summary>Adds the strategy to a builder; the options only name it for Polly's telemetry.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Polly validates the options with data annotations; Options adds no member to ResilienceStrategyOptions, so trimming removes nothing it checks.")]
    public static void Add(ResiliencePipelineBuilder builder, string name, TimeProvider time)
        => builder.AddStrategy(_ => new AttemptMeterStrategy(name, time), new Options { Name = name + ".attempts" });

    private sealed class Options : ResilienceStrategyOptions;
}
