using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Steadfast;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Keeps everything Steadfast stores in one SQLite file: the embedded default adapter.</summary>
public static class SteadfastSqliteBuilderExtensions
{
    /// <summary>Keeps the learning, the circuits, the workflows and the queues in the SQLite file <paramref name="path"/>.</summary>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="path">The file, e.g. <c>data/steadfast.db</c>; its directory is created on first write.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>The other settings come from the configuration's <c>Sqlite</c> section, if bound; see <see cref="UseSqlite(SteadfastBuilder, Action{SqliteStoreOptions})"/>.</remarks>
    public static SteadfastBuilder UseSqlite(this SteadfastBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseSqlite(o => o.Path = path);
    }

    /// <summary>
    /// Keeps the learning (<see cref="SqliteFailureStore"/>, also as <see cref="IStrategyStatisticsStore"/>), the circuits
    /// (<see cref="SqliteCircuitStateStore"/>), the workflows (<see cref="SqliteCheckpointStore"/>) and every queue
    /// (<see cref="SqliteQueueStore"/>, one per queue name) in one SQLite file, with the <see cref="SqliteStoreOptions"/> bound from
    /// the configuration's <c>Sqlite</c> section and then adjusted by <paramref name="configure"/> (validated at start).
    /// </summary>
    /// <param name="builder">The Steadfast builder.</param>
    /// <param name="configure">Adjusts the options; <see langword="null"/> keeps the configured ones (the default file is <c>data/failures.db</c>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>
    /// Replaces the in-memory defaults <c>AddSteadfast</c> registered, and nothing else: the defaults are removed and the
    /// SQLite stores added with <c>TryAdd</c>, so a store the application registered itself wins whether it was registered
    /// before this call (then the SQLite store for that contract is not added) or after (the last registration wins);
    /// calling <c>AddSteadfast</c> again later adds no default back. Calling this twice keeps one set of stores, on the file
    /// of the last call.
    /// </remarks>
    public static SteadfastBuilder UseSqlite(this SteadfastBuilder builder, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        SteadfastDefaultStores.Remove(services);
        services.TryAddSingleton<IFailureStore>(static sp => new SqliteFailureStore(Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<ICircuitStateStore>(static sp => new SqliteCircuitStateStore(Options(sp), sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<ICheckpointStore>(static sp => new SqliteCheckpointStore(Options(sp), sp.GetService<ILoggerFactory>()));
        services.TryAddKeyedSingleton<IQueueStore>(KeyedService.AnyKey, static (sp, key) =>
            new SqliteQueueStore(Options(sp), SteadfastDefaultStores.QueueName(key), sp.GetService<ILoggerFactory>()));
        return builder;
    }

    private static SqliteStoreOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
}
