namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="SteadfastServiceCollectionExtensions.AddSteadfast"/>; storage and hosting adapters extend it
/// (<c>.UseSqlite(...)</c>, <c>.UseRedis(...)</c>) and <see cref="SteadfastBuilderExtensions.AddResilientExecutor"/> adds named executors.
/// </summary>
public sealed class SteadfastBuilder
{
    internal SteadfastBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection Steadfast registers into.</summary>
    public IServiceCollection Services { get; }
}
