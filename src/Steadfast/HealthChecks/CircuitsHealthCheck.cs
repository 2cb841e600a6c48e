using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.HealthChecks;

/// <summary>The circuits of a registry: Unhealthy when one is open or isolated, Degraded when one is half-open.</summary>
internal sealed class CircuitsHealthCheck(CircuitBreakerRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var circuits = registry.GetAll();
        var data = circuits.ToDictionary(c => c.Name, c => (object)c.State.ToString(), StringComparer.Ordinal);
        var open = circuits.Where(c => c.State is CircuitState.Open or CircuitState.Isolated).Select(c => c.Name).ToList();
        var halfOpen = circuits.Where(c => c.State == CircuitState.HalfOpen).Select(c => c.Name).ToList();
        var result = open.Count > 0
            ? new HealthCheckResult(context.Registration.FailureStatus, $"open circuits: {string.Join(", ", open)}", data: data)
            : halfOpen.Count > 0
                ? HealthCheckResult.Degraded($"half-open circuits: {string.Join(", ", halfOpen)}", data: data)
                : HealthCheckResult.Healthy($"{circuits.Count} circuits closed", data);
        return Task.FromResult(result);
    }
}
