using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.Health.Monitoring;

/// <summary>
/// The status rules of a component, as one pure function so they can be read (and tested) in one place:
/// a failed check makes a Healthy component Degraded at once and Unhealthy after <c>UnhealthyAfter</c> failures in a
/// row; <c>HealthyAfter</c> passed checks in a row bring it back to Healthy (until then it keeps its status); a check
/// that reports Degraded makes it Degraded and restarts both counts. Direct outcomes (circuits) take the reported
/// status as it is: the circuit has its own hysteresis.
/// </summary>
internal static class Hysteresis
{
    public static ComponentHealth Next(ComponentHealth current, CheckOutcome outcome, int unhealthyAfter, int healthyAfter)
    {
        int failures;
        int successes;
        HealthStatus status;
        switch (outcome.Reported)
        {
            case HealthStatus.Healthy:
                failures = 0;
                successes = current.ConsecutiveSuccesses + 1;
                status = outcome.Direct || current.Status == HealthStatus.Healthy || successes >= healthyAfter ? HealthStatus.Healthy : current.Status;
                break;
            case HealthStatus.Degraded:
                failures = 0;
                successes = 0;
                status = HealthStatus.Degraded;
                break;
            default:
                failures = current.ConsecutiveFailures + 1;
                successes = 0;
                status = outcome.Direct || failures >= unhealthyAfter || current.Status == HealthStatus.Unhealthy
                    ? HealthStatus.Unhealthy
                    : HealthStatus.Degraded;
                break;
        }

        return new ComponentHealth(
            current.Name,
            current.Severity,
            status,
            outcome.Description,
            outcome.At,
            outcome.Latency,
            failures,
            successes,
            status != current.Status ? outcome.At : current.LastTransitionAt,
            outcome.Reported == HealthStatus.Healthy ? null : outcome.Exception);
    }
}
