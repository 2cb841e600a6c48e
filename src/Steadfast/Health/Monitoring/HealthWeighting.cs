using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.Health.Monitoring;

/// <summary>
/// The overall status rule: the worst of the components' weighted statuses. High and Critical components count as
/// they are; a Medium component counts at most as Degraded; a Low one counts as Degraded when Unhealthy and not at
/// all when Degraded. So only an important component's outage makes the whole system Unhealthy.
/// </summary>
internal static class HealthWeighting
{
    public static HealthStatus Weighted(HealthStatus status, ComponentSeverity severity) => severity switch
    {
        ComponentSeverity.High or ComponentSeverity.Critical => status,
        ComponentSeverity.Medium => status == HealthStatus.Unhealthy ? HealthStatus.Degraded : status,
        _ => status == HealthStatus.Unhealthy ? HealthStatus.Degraded : HealthStatus.Healthy,
    };

    public static HealthStatus Overall(IEnumerable<ComponentHealth> components)
    {
        var overall = HealthStatus.Healthy;
        foreach (var component in components)
        {
            var weighted = Weighted(component.Status, component.Severity);
            if (weighted < overall)
            {
                overall = weighted; // HealthStatus orders Unhealthy (0) < Degraded (1) < Healthy (2)
            }
        }

        return overall;
    }
}
