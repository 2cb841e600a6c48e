using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The registrations every <c>AddSteadfast</c> overload shares, added once per service collection.</summary>
internal static class SteadfastCoreServices
{
    /// <summary>Adds the core services on the first call; returns the collection's registration record.</summary>
    public static SteadfastRegistration AddOnce(IServiceCollection services)
    {
        if (SteadfastRegistration.Find(services) is { } existing)
        {
            // Everything below is in already; ValidateOnStart in particular would add a registration on every call.
            return existing;
        }

        var registration = new SteadfastRegistration();
        services.AddSingleton(registration);
        services.TryAddSingleton(TimeProvider.System);
        AddValidation(services, registration);

        services.TryAddSingleton(static sp => new CircuitBreakerRegistry(
            sp.GetRequiredService<IOptions<CircuitBreakerOptions>>().Value,
            sp.GetRequiredService<ICircuitStateStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<ResilientExecutorProvider>();
        services.TryAddSingleton(CreateAnalyzer);
        services.TryAddSingleton(CreateEngine);
        services.TryAddSingleton(static sp => new WorkflowRunner(
            sp.GetRequiredService<ICheckpointStore>(),
            sp.GetRequiredService<IOptions<WorkflowRunOptions>>().Value,
            engine: null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));

        SteadfastHealthServices.TryAdd(services);
        SteadfastDefaultStores.TryAdd(services);
        services.TryAddSingleton<IStrategyStatisticsStore>(static sp => sp.GetRequiredService<IFailureStore>() as IStrategyStatisticsStore
            ?? throw new InvalidOperationException("The registered IFailureStore does not keep strategy statistics (it does not implement IStrategyStatisticsStore)."));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SteadfastStartup>());
        return registration;
    }

    private static void AddValidation(IServiceCollection services, SteadfastRegistration registration)
    {
        // Every options type validates itself the same way under the options framework as in its constructor.
        AddValidator<ResilienceOptions>(services, registration, static o => o.Validate());
        AddValidator<FailureAnalyzerOptions>(services, registration, static o => o.Validate());
        AddValidator<CircuitBreakerOptions>(services, registration, static o => o.Validate());
        AddValidator<ResilientExecutorOptions>(services, registration, static o => o.Validate());
        AddValidator<RetryOptions>(services, registration, static o => o.Validate());
        AddValidator<TimeoutOptions>(services, registration, static o => o.Validate());
        AddValidator<RateLimitOptions>(services, registration, static o => o.Validate());
        AddValidator<FallbackOptions>(services, registration, static o => o.Validate());
        AddValidator<DurableQueueOptions>(services, registration, static o => o.Validate());
        AddValidator<WorkflowRunOptions>(services, registration, static o => o.Validate());
        AddValidator<CheckpointOptions>(services, registration, static o => o.Validate());
        AddValidator<SqliteStoreOptions>(services, registration, static o => o.Validate());

        // The unnamed options Steadfast itself resolves; named executors and queues are added to the start check as they are declared.
        services.AddOptions<ResilienceOptions>().ValidateOnStart();
        services.AddOptions<FailureAnalyzerOptions>().ValidateOnStart();
        services.AddOptions<CircuitBreakerOptions>().ValidateOnStart();
        services.AddOptions<WorkflowRunOptions>().ValidateOnStart();
        services.AddOptions<SqliteStoreOptions>().ValidateOnStart();
    }

    /// <summary>Adds the validator of <typeparamref name="TOptions"/>, naming the configuration key of a bad value (other packages' options too).</summary>
    internal static void AddValidator<TOptions>(IServiceCollection services, SteadfastRegistration registration, Action<TOptions> validate)
        where TOptions : class =>
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new SteadfastOptionsValidator<TOptions>(validate, registration)));

    private static FailureAnalyzer CreateAnalyzer(IServiceProvider sp)
    {
        var store = sp.GetRequiredService<IFailureStore>();
        if (store is IStrategyStatisticsStore)
        {
            // The same object under its second contract. Resolving it now makes the container dispose it after the
            // analyzer (it disposes in reverse order of creation), so the analyzer's last flush still has its store.
            _ = sp.GetService<IStrategyStatisticsStore>();
        }

        return new FailureAnalyzer(
            store,
            sp.GetRequiredService<IOptions<FailureAnalyzerOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>());
    }

    private static ResilienceEngine CreateEngine(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;

        // Given the container's analyzer and registry, the engine creates neither itself (so it never picks a store).
        var engine = new ResilienceEngine(
            options,
            options.EnableLearning ? sp.GetRequiredService<FailureAnalyzer>() : null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetRequiredService<CircuitBreakerRegistry>(),
            sp.GetService<HealthMonitor>(),          // health-aware routing: strategies name their component
            sp.GetService<OperationModeManager>());  // Degraded / Emergency change what the engine runs
        if (sp.GetService<ICreativeSolver>() is { } solver)
        {
            engine.CreativeSolver = solver;
        }

        if (sp.GetService<IInterventionHandler>() is { } handler)
        {
            engine.InterventionHandler = handler;
        }

        return engine;
    }
}
