using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.HealthChecks;

/// <summary>A <see cref="HealthMonitor"/>'s overall status (no new checks: its own schedule runs them), each component in the data.</summary>
internal sealed class MonitorHealthCheck(HealthMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var components = monitor.GetComponents();
        var data = components.ToDictionary(c => c.Name, c => (object)c.Status.ToString(), StringComparer.Ordinal);
        var failing = components.Where(c => c.Status != HealthStatus.Healthy).Select(c => $"{c.Name} {c.Status}").ToList();
        var description = failing.Count == 0 ? $"{components.Count} components healthy" : string.Join(", ", failing);
        return Task.FromResult(new HealthCheckResult(monitor.OverallStatus, description, data: data));
    }
}
