using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps everything Steadfast stores on one Redis server, shared by every machine: learning, circuits, workflows, queues and events.</summary>
public static class SteadfastRedisBuilderExtensions
{
    /// <summary>
    /// Keeps the learning (<see cref="RedisFailureStore"/>, also as <see cref="IStrategyStatisticsStore"/>), the circuits
    /// (<see cref="RedisCircuitStateStore"/>), the workflows (<see cref="RedisCheckpointStore"/>), every queue
    /// (<see cref="RedisQueueStore"/>, one per queue name) and the events (<see cref="RedisEventBus"/>) on the Redis server
    /// of <paramref name="configuration"/>, with <see cref="RedisStoreOptions"/> adjusted by <paramref name="configure"/> (validated at start).
    /// </summary>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="configuration">
    /// A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,abortConnect=false</c> (keep <c>abortConnect=false</c>:
    /// the application then starts, and keeps serving, while Redis is down). Connected when first resolved.
    /// </param>
    /// <param name="configure">Adjusts the options, e.g. <c>o =&gt; o.KeyPrefix = "steadfast:"</c>; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// Registers an <see cref="IConnectionMultiplexer"/> unless one is registered already (then that one is used). Replaces the
    /// in-memory default stores and nothing else, like <c>UseSqlite</c>: a store the application registered itself wins. The
    /// event bus replaces any registered <see cref="IEventBus"/>.
    /// </remarks>
    public static SteadfastBuilder UseRedis(this SteadfastBuilder builder, string configuration, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        builder.Services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        return builder.UseRedis(configure);
    }

    /// <summary>Keeps everything on Redis, over the <see cref="IConnectionMultiplexer"/> the application registered; see <see cref="UseRedis(SteadfastBuilder, string, Action{RedisStoreOptions}?)"/>.</summary>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="configure">Adjusts the options; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    public static SteadfastBuilder UseRedis(this SteadfastBuilder builder, Action<RedisStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RedisStoreOptions>().Validate(o =>
        {
            o.Validate();
            return true;
        });
        if (configure is not null)
        {
            services.Configure(configure);
        }

        SteadfastDefaultStores.Remove(services);
        services.TryAddSingleton<IFailureStore>(static sp => new RedisFailureStore(Redis(sp), Options(sp), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ICircuitStateStore>(static sp => new RedisCircuitStateStore(Redis(sp), Options(sp)));
        services.TryAddSingleton<ICheckpointStore>(static sp => new RedisCheckpointStore(Redis(sp), Options(sp)));
        services.TryAddKeyedSingleton<IQueueStore>(KeyedService.AnyKey, static (sp, key) =>
            new RedisQueueStore(Redis(sp), SteadfastDefaultStores.QueueName(key), Options(sp)));
        services.RemoveAll<IEventBus>();
        services.AddSingleton<IEventBus>(static sp => new RedisEventBus(Redis(sp), Options(sp), null, sp.GetService<ILoggerFactory>()));
        return builder;
    }

    private static IConnectionMultiplexer Redis(IServiceProvider sp) => sp.GetRequiredService<IConnectionMultiplexer>();

    private static RedisStoreOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<RedisStoreOptions>>().Value;
}
