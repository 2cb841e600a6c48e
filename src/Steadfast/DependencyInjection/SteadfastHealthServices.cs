using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The event bus, health monitor, operation modes and recovery orchestrator of <c>AddSteadfast</c>, each only when not
/// registered yet: an application's own <see cref="IEventBus"/> (the Redis one, say) replaces the in-process bus.
/// </summary>
internal static class SteadfastHealthServices
{
    public static void TryAdd(IServiceCollection services)
    {
        services.TryAddSingleton(static sp => new InProcessEventBus(sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IEventBus>(static sp => sp.GetRequiredService<InProcessEventBus>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthMonitorOptions>>(new SteadfastOptionsValidator<HealthMonitorOptions>(static o => o.Validate())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecoveryOptions>>(new SteadfastOptionsValidator<RecoveryOptions>(static o => o.Validate())));
        services.TryAddSingleton(static sp => new HealthMonitor(
            sp.GetRequiredService<IOptions<HealthMonitorOptions>>().Value,
            sp.GetRequiredService<IEventBus>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(static sp => new OperationModeManager(
            sp.GetRequiredService<HealthMonitor>(),
            sp.GetRequiredService<IEventBus>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(static sp => new ErrorRecoveryOrchestrator(
            sp.GetRequiredService<IEventBus>(),
            sp.GetRequiredService<IOptions<RecoveryOptions>>().Value,
            sp.GetRequiredService<HealthMonitor>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
    }
}
