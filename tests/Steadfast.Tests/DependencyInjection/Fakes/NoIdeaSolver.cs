namespace Steadfast.Tests.DependencyInjection.Fakes;

/// <summary>A creative solver that never has an idea: only its identity matters to the DI tests.</summary>
internal sealed class NoIdeaSolver : ICreativeSolver
{
    public ValueTask<Strategy<T>?> ProposeStrategyAsync<T>(ResilienceSituation situation, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Strategy<T>?>(null);
}
