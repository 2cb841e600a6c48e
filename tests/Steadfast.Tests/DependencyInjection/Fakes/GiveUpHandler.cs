namespace Steadfast.Tests.DependencyInjection.Fakes;

/// <summary>An intervention handler that always stops: only its identity matters to the DI tests.</summary>
internal sealed class GiveUpHandler : IInterventionHandler
{
    public ValueTask<InterventionDecision<T>> RequestInterventionAsync<T>(ResilienceSituation situation, CancellationToken cancellationToken) =>
        ValueTask.FromResult(InterventionDecision<T>.Stop("test"));
}
