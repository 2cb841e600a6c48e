using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Steadfast;
using Steadfast.Composition;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The stores <c>AddSteadfast</c> registers when the application registers none: in memory, or, when
/// <see cref="ResilienceOptions.EnablePersistence"/> is on, the learning and the circuits in the SQLite file of
/// <see cref="ResilienceOptions.PersistencePath"/> (through <see cref="DefaultStores"/>, as a <c>new ResilienceEngine</c>
/// would). Each registration's factory is one of the fields below, which is how <c>UseSqlite</c> recognises the
/// defaults it replaces and leaves a store the application registered alone.
/// </summary>
internal static class SteadfastDefaultStores
{
    private static readonly Func<IServiceProvider, object> FailureStore = static sp =>
    {
        var engine = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        var time = sp.GetRequiredService<TimeProvider>();
        return engine.EnablePersistence
            ? DefaultStores.CreateFailureStore(engine.PersistencePath, time, sp.GetService<ILoggerFactory>())
            : new InMemoryFailureStore(timeProvider: time);
    };

    private static readonly Func<IServiceProvider, object> CircuitStateStore = static sp =>
    {
        var engine = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
        return engine.EnablePersistence
            ? DefaultStores.CreateCircuitStateStore(engine.PersistencePath, sp.GetService<ILoggerFactory>())
            : new InMemoryCircuitStateStore();
    };

    // Workflows:CheckpointDirectory (the seed's RESILIENCE_CHECKPOINT_DIR) keeps checkpoints as files there.
    private static readonly Func<IServiceProvider, object> CheckpointStore = static sp =>
        sp.GetService<SteadfastRegistration>()?.ValueOf(SteadfastConfigurationBinding.CheckpointDirectory) is { Length: > 0 } directory
            ? new FileCheckpointStore(directory)
            : new InMemoryCheckpointStore();

    private static readonly Func<IServiceProvider, object?, object> QueueStore = static (_, _) => new InMemoryQueueStore();

    /// <summary>Adds each default unless that contract is registered already.</summary>
    public static void TryAdd(IServiceCollection services)
    {
        services.TryAdd(ServiceDescriptor.Singleton(typeof(IFailureStore), FailureStore));
        services.TryAdd(ServiceDescriptor.Singleton(typeof(ICircuitStateStore), CircuitStateStore));
        services.TryAdd(ServiceDescriptor.Singleton(typeof(ICheckpointStore), CheckpointStore));

        // One store per queue name, created for whatever name is asked for; a store registered for one name wins for it.
        services.TryAdd(ServiceDescriptor.KeyedSingleton(typeof(IQueueStore), KeyedService.AnyKey, QueueStore));
    }

    /// <summary>Removes the defaults (only those: a store the application registered stays).</summary>
    public static void Remove(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            var factory = descriptor.IsKeyedService ? (object?)descriptor.KeyedImplementationFactory : descriptor.ImplementationFactory;
            if (factory is not null
                && (ReferenceEquals(factory, FailureStore) || ReferenceEquals(factory, CircuitStateStore)
                    || ReferenceEquals(factory, CheckpointStore) || ReferenceEquals(factory, QueueStore)))
            {
                services.RemoveAt(i);
            }
        }
    }

    /// <summary>The queue name a keyed <see cref="IQueueStore"/> is asked for with.</summary>
    public static string QueueName(object? key) =>
        key as string is { Length: > 0 } name ? name : throw new InvalidOperationException($"A queue store is resolved by the queue's name (a non-empty string); was '{key}'.");
}
