using Polly;

namespace Steadfast;

/// <summary>
/// Fault injection for game days: runs a <see cref="Strategy{T}"/>'s calls through Polly's chaos strategies
/// (<c>AddChaosFault</c>, <c>AddChaosLatency</c>, <c>AddChaosOutcome</c>, <c>AddChaosBehavior</c>, namespace
/// <c>Polly.Simmy</c>), so you can watch the engine route around a provider that fails, slows down or answers wrongly.
/// </summary>
/// <remarks>
/// Polly draws each injection with the chaos options' <c>Randomizer</c>; give it a seeded one to repeat a game day, and
/// set the builder's <c>TimeProvider</c> to the engine's to drive injected latency from the same (fake) clock. See
/// docs/primitives.md, "Chaos".
/// </remarks>
public static class StrategyChaosExtensions
{
    /// <summary>
    /// Returns a new strategy, with the same name, priority, cost and description, whose calls pass through a pipeline
    /// built once from <paramref name="configure"/>. The original strategy is not changed.
    /// </summary>
    /// <typeparam name="T">What the strategy produces.</typeparam>
    /// <param name="strategy">The strategy to disturb.</param>
    /// <param name="configure">Adds chaos strategies (or any other) to the pipeline builder, for example
    /// <c>b =&gt; b.AddChaosFault(0.3, () =&gt; new ServiceException("injected", 503))</c>.</param>
    /// <returns>The disturbed strategy.</returns>
    /// <example>
    /// <code>
    /// var flaky = primary.WithChaos(b => b
    ///     .AddChaosLatency(new ChaosLatencyStrategyOptions { InjectionRate = 0.2, Latency = TimeSpan.FromSeconds(2), Randomizer = new Random(42).NextDouble })
    ///     .AddChaosFault(0.1, () => new ServiceException("injected outage", 503)));
    /// </code>
    /// </example>
    public static Strategy<T> WithChaos<T>(this Strategy<T> strategy, Action<ResiliencePipelineBuilder<T>> configure)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ResiliencePipelineBuilder<T> { Name = $"chaos:{strategy.Name}" };
        configure(builder);
        var pipeline = builder.Build();

        if (strategy.ContextualOperation is { } contextual)
        {
            return new Strategy<T>(
                strategy.Name,
                (attempt, ct) => pipeline.ExecuteAsync(
                    static (s, token) => new ValueTask<T>(s.Operation(s.Attempt, token)), (Operation: contextual, Attempt: attempt), ct).AsTask(),
                strategy.Priority,
                strategy.Description)
            {
                Cost = strategy.Cost,
            };
        }

        var operation = strategy.Operation;

        // `with` keeps every other property of the record as it is.
        return strategy with
        {
            Operation = ct => pipeline.ExecuteAsync(static (op, token) => new ValueTask<T>(op(token)), operation, ct).AsTask(),
        };
    }
}
