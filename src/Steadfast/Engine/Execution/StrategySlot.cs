namespace Steadfast;

/// <summary>What one strategy runs and what an attempt costs; a struct, so a single operation needs no <see cref="Strategy{T}"/> allocated for it.</summary>
internal readonly record struct StrategySlot<T>(string Name, Func<CancellationToken, Task<T>> Operation, Func<AttemptContext, CancellationToken, Task<T>>? Contextual, decimal Cost)
{
    public static StrategySlot<T> From(Strategy<T> strategy) => new(strategy.Name, strategy.Operation, strategy.ContextualOperation, strategy.Cost);
}
