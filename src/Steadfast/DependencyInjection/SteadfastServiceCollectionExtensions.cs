using Microsoft.Extensions.Configuration;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Steadfast with a service collection.</summary>
/// <remarks>
/// <para>
/// Both overloads register, each only when the service is not registered yet (<c>TryAdd</c>), so calling them twice
/// adds nothing and a service registered by the application wins, whether it is registered before or after:
/// <see cref="TimeProvider.System"/>; the <see cref="ResilienceEngine"/> (over the container's analyzer and registry;
/// a registered <see cref="ICreativeSolver"/> or <see cref="IInterventionHandler"/> is given to it); the
/// <see cref="FailureAnalyzer"/> (over the registered <see cref="IFailureStore"/>); the <see cref="CircuitBreakerRegistry"/>
/// (over the registered <see cref="ICircuitStateStore"/>); the <see cref="ResilientExecutorProvider"/>; the
/// <see cref="WorkflowRunner"/> (over the registered <see cref="ICheckpointStore"/>); a <see cref="IQueueStore"/> per queue
/// name (keyed by the name); and the stores: in memory unless <see cref="ResilienceOptions.EnablePersistence"/> is on (then
/// the learning and the circuits in SQLite at <see cref="ResilienceOptions.PersistencePath"/>), or SQLite for all of them
/// with <see cref="SteadfastSqliteBuilderExtensions.UseSqlite(SteadfastBuilder, string)"/>.
/// </para>
/// <para>
/// Every options type is validated with its own <c>Validate()</c> when the host starts (<c>ValidateOnStart</c>), with the
/// message its constructor would throw. A hosted service restores the circuits and loads the learning at host start.
/// The container disposes what it created (asynchronously: dispose the provider with <c>DisposeAsync</c>, as hosts do),
/// the analyzer before its store, so the last writes are flushed.
/// </para>
/// </remarks>
public static class SteadfastServiceCollectionExtensions
{
    /// <summary>Registers Steadfast's services (see the remarks of <see cref="SteadfastServiceCollectionExtensions"/>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configureCircuitBreakers">
    /// Adjusts the options of circuits the registry creates without their own; <see langword="null"/> keeps the defaults.
    /// The other options types are configured the framework's way, e.g. <c>services.Configure&lt;ResilienceOptions&gt;(o =&gt; ...)</c>.
    /// </param>
    /// <returns>A builder that adapters extend.</returns>
    public static SteadfastBuilder AddSteadfast(this IServiceCollection services, Action<CircuitBreakerOptions>? configureCircuitBreakers = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        SteadfastCoreServices.AddOnce(services);
        if (configureCircuitBreakers is not null)
        {
            services.Configure(configureCircuitBreakers);
        }

        return new SteadfastBuilder(services);
    }

    /// <summary>
    /// Registers Steadfast's services (see the remarks of <see cref="SteadfastServiceCollectionExtensions"/>) and binds their
    /// options to <paramref name="configuration"/>: <c>Engine</c> (<see cref="ResilienceOptions"/>), <c>Learning</c>
    /// (<see cref="FailureAnalyzerOptions"/>), <c>CircuitBreaker</c> (<see cref="CircuitBreakerOptions"/> of circuits created
    /// without their own), <c>Executors:&lt;name&gt;</c> (<see cref="ResilientExecutorOptions"/>), <c>Queues:&lt;name&gt;</c>
    /// (<see cref="DurableQueueOptions"/>), <c>Workflows</c> (<see cref="WorkflowRunOptions"/>) and <c>Sqlite</c>
    /// (<see cref="SqliteStoreOptions"/>). Environment variables reach it through the configuration
    /// (<c>Steadfast__Engine__MaxAttempts=3</c>), and so do the seed's <c>RESILIENCE_ENABLED</c> (<c>Enabled</c>),
    /// <c>RESILIENCE_CHECKPOINT_DIR</c> (<c>Workflows:CheckpointDirectory</c>: checkpoints in files there, unless a store is
    /// registered or <c>UseSqlite</c> is called) and <c>RESILIENCE_HEALTH_CHECK_INTERVAL</c> in milliseconds
    /// (<c>Health:CheckInterval</c>), each below a key the configuration sets itself. Binding the same section twice adds nothing.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">
    /// The Steadfast section, e.g. <c>configuration.GetSection("Steadfast")</c>; given a whole configuration (not a section),
    /// its <c>Steadfast</c> section is used.
    /// </param>
    /// <returns>A builder that adapters extend.</returns>
    public static SteadfastBuilder AddSteadfast(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var registration = SteadfastCoreServices.AddOnce(services);
        var section = SteadfastSeedVariables.Overlay(
            configuration as IConfigurationSection ?? configuration.GetSection(SteadfastConfigurationBinding.Root), Environment.GetEnvironmentVariable);
        if (registration.TryAdd(section))
        {
            SteadfastConfigurationBinding.Bind(services, registration, section);
        }

        return new SteadfastBuilder(services);
    }
}
