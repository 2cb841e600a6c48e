using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.Health.Monitoring;

/// <summary>How a circuit's state reads as health: closed is Healthy, half-open Degraded, open or isolated Unhealthy.</summary>
internal static class CircuitHealth
{
    public static HealthCheckResult Read(CircuitBreaker circuit) => circuit.State switch
    {
        CircuitState.Closed => HealthCheckResult.Healthy($"circuit '{circuit.Name}' is closed"),
        CircuitState.HalfOpen => HealthCheckResult.Degraded($"circuit '{circuit.Name}' is half-open (probing)"),
        CircuitState.Isolated => HealthCheckResult.Unhealthy($"circuit '{circuit.Name}' is isolated by an operator"),
        _ => HealthCheckResult.Unhealthy($"circuit '{circuit.Name}' is open"),
    };
}
