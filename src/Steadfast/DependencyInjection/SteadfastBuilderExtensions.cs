using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds named <see cref="ResilientExecutor"/>s and <see cref="DurableQueue{T}"/>s to a <see cref="SteadfastBuilder"/>.</summary>
public static class SteadfastBuilderExtensions
{
    /// <summary>
    /// Configures the executor named <paramref name="name"/>: from <paramref name="preset"/> (or the plain
    /// <see cref="ResilientExecutorOptions"/> defaults), then the configuration's <c>Executors:&lt;name&gt;</c> section when
    /// <c>AddSteadfast(configuration)</c> was called, then <paramref name="configure"/>; the options are validated at start.
    /// Resolve it with <see cref="ResilientExecutorProvider.Get(string)"/>.
    /// </summary>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="name">The executor's (and its circuit's) name.</param>
    /// <param name="preset">The starting options, e.g. <see cref="ResilientExecutorOptions.ForApi"/>; <see langword="null"/> for the defaults.</param>
    /// <param name="configure">Adjusts the options; <see langword="null"/> keeps the preset.</param>
    /// <returns>The builder, for chaining.</returns>
    public static SteadfastBuilder AddResilientExecutor(
        this SteadfastBuilder builder, string name, Func<ResilientExecutorOptions>? preset = null, Action<ResilientExecutorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptions<ResilientExecutorOptions>(name);
        if (preset is not null)
        {
            options.Configure(o => CopyFrom(o, preset()));
        }

        // Again after the preset, which replaces whole parts: the configuration's values go on top of it.
        SteadfastConfigurationBinding.BindExecutor(options, Sections(builder.Services));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Registers the durable queue <paramref name="name"/> of <typeparamref name="T"/> items, resolved by its name as a keyed
    /// service: <c>provider.GetRequiredKeyedService&lt;DurableQueue&lt;T&gt;&gt;(name)</c> or a
    /// <c>[FromKeyedServices("orders")] DurableQueue&lt;Order&gt;</c> parameter. Its items are kept in the <see cref="IQueueStore"/>
    /// registered for that name (in memory by default; SQLite with <c>UseSqlite</c>; a keyed store you register for the name wins).
    /// Its options come from the configuration's <c>Queues:&lt;name&gt;</c> section, then <paramref name="configure"/>, and are
    /// validated at start. Handlers run directly, as with <c>new DurableQueue&lt;T&gt;(store)</c>; register the queue yourself to
    /// run them through the engine. Calling it again for the same name only adds <paramref name="configure"/>.
    /// </summary>
    /// <typeparam name="T">The item type; serialized with System.Text.Json.</typeparam>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="name">The queue's name: its key in the container and its name in the store.</param>
    /// <param name="configure">Adjusts the options; <see langword="null"/> keeps the configured ones.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">A queue of another item type is registered under <paramref name="name"/>.</exception>
    public static SteadfastBuilder AddDurableQueue<T>(this SteadfastBuilder builder, string name, Action<DurableQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var services = builder.Services;
        var existing = services.FirstOrDefault(d => d.IsKeyedService && name.Equals(d.ServiceKey)
            && d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(DurableQueue<>));
        if (existing is not null && existing.ServiceType != typeof(DurableQueue<T>))
        {
            // Both would share the store of that name, each reading the other's items as its own type.
            throw new InvalidOperationException(
                $"The durable queue '{name}' is registered with items of type {existing.ServiceType.GenericTypeArguments[0]}; it cannot also hold {typeof(T)}.");
        }

        var options = services.AddOptions<DurableQueueOptions>(name);
        if (existing is null)
        {
            SteadfastConfigurationBinding.BindQueue(options, Sections(services));
            options.ValidateOnStart();
            services.TryAddKeyedSingleton(name, static (sp, key) =>
            {
                var queue = SteadfastDefaultStores.QueueName(key);
                return new DurableQueue<T>(
                    sp.GetRequiredKeyedService<IQueueStore>(queue),
                    sp.GetRequiredService<IOptionsMonitor<DurableQueueOptions>>().Get(queue),
                    engine: null,
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetService<ILoggerFactory>());
            });
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder;
    }

    /// <summary>
    /// Starts the options from <paramref name="preset"/> (the seed's <c>applyResiliencePreset("production")</c>): the engine's
    /// and the learning's defaults become the preset's, and the configuration and <c>services.Configure&lt;T&gt;</c> calls go on
    /// top of it whatever the order of the calls. The values are listed on <see cref="SteadfastPreset"/>'s members.
    /// </summary>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="preset">The preset.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="preset"/> is not a defined preset.</exception>
    public static SteadfastBuilder UsePreset(this SteadfastBuilder builder, SteadfastPreset preset)
    {
        ArgumentNullException.ThrowIfNull(builder);
        SteadfastPresets.Add(builder.Services, preset);
        return builder;
    }

    private static IReadOnlyList<Microsoft.Extensions.Configuration.IConfigurationSection> Sections(IServiceCollection services) =>
        SteadfastRegistration.Find(services)?.Sections ?? [];

    private static void CopyFrom(ResilientExecutorOptions target, ResilientExecutorOptions source)
    {
        target.Retry = source.Retry;
        target.CircuitBreaker = source.CircuitBreaker;
        target.RateLimit = source.RateLimit;
        target.Timeout = source.Timeout;
        target.Fallback = source.Fallback;
    }
}
