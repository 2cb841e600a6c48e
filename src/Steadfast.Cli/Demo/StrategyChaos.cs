using Polly;

namespace Steadfast.Cli.Demo;

/// <summary>
/// Puts Polly's chaos strategies in front of a strategy's calls.
/// </summary>
/// <remarks>
/// A local stand-in for <c>Strategy&lt;T&gt;.WithChaos</c>, which issue 10 adds to Steadfast
/// (src/Steadfast/Engine/StrategyChaosExtensions.cs). REPLACE it with that one when it lands: delete this file; the call
/// sites read the same. (In this namespace this extension is found before one in <c>Steadfast</c>, so the two never clash.)
/// </remarks>
internal static class StrategyChaos
{
    /// <summary>Returns a copy of <paramref name="strategy"/> whose calls pass through the pipeline <paramref name="configure"/> builds.</summary>
    public static Strategy<T> WithChaos<T>(this Strategy<T> strategy, Action<ResiliencePipelineBuilder<T>> configure)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ResiliencePipelineBuilder<T>();
        configure(builder);
        var pipeline = builder.Build();
        if (strategy.ContextualOperation is { } contextual)
        {
            return new Strategy<T>(
                strategy.Name,
                (attempt, ct) => pipeline.ExecuteAsync(static (s, ct) => new ValueTask<T>(s.Operation(s.Attempt, ct)), (Operation: contextual, Attempt: attempt), ct).AsTask(),
                strategy.Priority,
                strategy.Description)
            {
                Cost = strategy.Cost,
            };
        }

        var operation = strategy.Operation;
        return strategy with { Operation = ct => pipeline.ExecuteAsync(static (op, ct) => new ValueTask<T>(op(ct)), operation, ct).AsTask() };
    }
}
