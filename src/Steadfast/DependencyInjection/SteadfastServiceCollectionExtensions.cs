using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Steadfast with a service collection.</summary>
public static class SteadfastServiceCollectionExtensions
{
    /// <summary>
    /// Registers what every Steadfast feature needs: <see cref="TimeProvider.System"/> (unless a <see cref="TimeProvider"/>
    /// is registered already), the <see cref="CircuitBreakerRegistry"/> (using any registered <see cref="ICircuitStateStore"/>),
    /// the default <see cref="CircuitBreakerOptions"/> (validated at start) and the <see cref="ResilientExecutorProvider"/>.
    /// Calling it twice adds nothing.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureCircuitBreakers">Adjusts the options of circuits created without their own; <see langword="null"/> keeps the defaults.</param>
    /// <returns>A builder that adapters extend.</returns>
    public static SteadfastBuilder AddSteadfast(this IServiceCollection services, Action<CircuitBreakerOptions>? configureCircuitBreakers = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        // ValidateOnStart adds a registration on every call; only the first call may add it.
        var firstCall = !services.Any(d => d.ServiceType == typeof(ResilientExecutorProvider));
        services.TryAddSingleton(TimeProvider.System);

        var breakerOptions = services.AddOptions<CircuitBreakerOptions>();
        if (configureCircuitBreakers is not null)
        {
            breakerOptions.Configure(configureCircuitBreakers);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CircuitBreakerOptions>, SteadfastOptionsValidator<CircuitBreakerOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResilientExecutorOptions>, SteadfastOptionsValidator<ResilientExecutorOptions>>());
        if (firstCall)
        {
            breakerOptions.ValidateOnStart();
        }

        services.TryAddSingleton(sp => new CircuitBreakerRegistry(
            sp.GetRequiredService<IOptions<CircuitBreakerOptions>>().Value,
            sp.GetService<ICircuitStateStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<ResilientExecutorProvider>();

        return new SteadfastBuilder(services);
    }
}
