namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddSteadfast</c>; storage and hosting adapters extend it (<see cref="SteadfastSqliteBuilderExtensions.UseSqlite(SteadfastBuilder, string)"/>,
/// <c>.UseRedis(...)</c>), and <see cref="SteadfastBuilderExtensions.AddResilientExecutor"/> and
/// <see cref="SteadfastBuilderExtensions.AddDurableQueue{T}"/> add named executors and queues.
/// </summary>
public sealed class SteadfastBuilder
{
    internal SteadfastBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection Steadfast registers into.</summary>
    public IServiceCollection Services { get; }
}
