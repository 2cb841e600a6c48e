using Microsoft.Extensions.Diagnostics.HealthChecks;
using Steadfast;
using Steadfast.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Steadfast's own parts as ASP.NET Core health checks.</summary>
public static class SteadfastHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the health checks of Steadfast's parts registered by <c>AddSteadfast(...)</c>, tagged <c>steadfast</c>:
    /// <c>steadfast-circuits</c> (open or isolated: the failure status; half-open: Degraded), <c>steadfast-learning</c>
    /// (Degraded while the failure store cannot be used), <c>steadfast-checkpoints</c> (the checkpoint store answers),
    /// and <c>steadfast-health</c> (the <see cref="HealthMonitor"/>'s overall status and components). Queues are added
    /// one by one with <see cref="AddSteadfastQueue"/>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSteadfast(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] tags = ["steadfast"];
        builder.Add(new HealthCheckRegistration("steadfast-circuits", sp => new CircuitsHealthCheck(sp.GetRequiredService<CircuitBreakerRegistry>()), HealthStatus.Unhealthy, tags));
        builder.Add(new HealthCheckRegistration("steadfast-learning", sp => new LearningHealthCheck(sp.GetRequiredService<FailureAnalyzer>()), HealthStatus.Degraded, tags));
        builder.Add(new HealthCheckRegistration("steadfast-checkpoints", sp => new CheckpointStoreHealthCheck(sp.GetRequiredService<ICheckpointStore>()), HealthStatus.Unhealthy, tags));
        builder.Add(new HealthCheckRegistration("steadfast-health", sp => new MonitorHealthCheck(sp.GetRequiredService<HealthMonitor>()), HealthStatus.Unhealthy, tags));
        return builder;
    }

    /// <summary>
    /// Adds the health check of the durable queue <paramref name="name"/> (<c>steadfast-queue-&lt;name&gt;</c>): Degraded
    /// when its backlog or dead letters reach the thresholds, the failure status when its store fails.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The queue's name (its keyed <see cref="IQueueStore"/>).</param>
    /// <param name="options">The thresholds; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddSteadfastQueue(this IHealthChecksBuilder builder, string name, SteadfastHealthCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var copy = options?.Clone() ?? new SteadfastHealthCheckOptions();
        copy.Validate();
        builder.Add(new HealthCheckRegistration(
            $"steadfast-queue-{name}",
            sp => new QueueHealthCheck(sp.GetRequiredKeyedService<IQueueStore>(name), copy),
            HealthStatus.Unhealthy,
            ["steadfast", "queue"]));
        return builder;
    }
}
