using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.AspNetCore.Endpoints;

/// <summary>
/// What the endpoints read from the application's services, each optional: an application with only an engine, only a
/// registry, or everything that <c>AddSteadfast</c> registers is served, and a part that is not there reads as empty.
/// </summary>
internal sealed class SteadfastSources(IServiceProvider services, SteadfastWebOptions options)
{
    public SteadfastWebOptions Options { get; } = options;

    public TimeProvider Time { get; } = services.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>The engine, when one is registered (its attempts feed the stream).</summary>
    public ResilienceEngine? Engine => services.GetService<ResilienceEngine>();

    /// <summary>The registered registry, else the engine's, else none.</summary>
    public CircuitBreakerRegistry? Circuits => services.GetService<CircuitBreakerRegistry>() ?? Engine?.CircuitBreakers;

    /// <summary>The registered analyzer, else the engine's, else none.</summary>
    public FailureAnalyzer? Analyzer => services.GetService<FailureAnalyzer>() ?? Engine?.Analyzer;

    /// <summary>The registered workflow runner, if any.</summary>
    public WorkflowRunner? Workflows => services.GetService<WorkflowRunner>();

    /// <summary>The registered checkpoint store, if any (for checkpoint counts per workflow).</summary>
    public ICheckpointStore? Checkpoints => services.GetService<ICheckpointStore>();

    /// <summary>The registered health monitor, if any.</summary>
    public HealthMonitor? Health => services.GetService<HealthMonitor>();

    /// <summary>The registered operation mode manager, if any.</summary>
    public OperationModeManager? Modes => services.GetService<OperationModeManager>();

    /// <summary>What the creative solver tried, when one is registered (<c>UseCreativeSolver</c> registers it).</summary>
    public ICreativeHistory? Creative => services.GetService<ICreativeHistory>();

    /// <summary>The store of the queue <paramref name="name"/>, if one is registered for it.</summary>
    public IQueueStore? QueueStore(string name) => services.GetKeyedService<IQueueStore>(name);

    /// <summary>Resolves an optional service (the anti-forgery service, the event bus).</summary>
    public T? Get<T>()
        where T : class => services.GetService<T>();
}
