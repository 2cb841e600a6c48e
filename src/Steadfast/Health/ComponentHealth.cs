using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast;

/// <summary>
/// What a <see cref="HealthMonitor"/> knows about one component at one moment. Immutable: the monitor replaces the
/// snapshot after each check, so reading it takes no lock.
/// </summary>
public sealed class ComponentHealth
{
    internal ComponentHealth(
        string name,
        ComponentSeverity severity,
        HealthStatus status,
        string? description,
        DateTimeOffset? lastCheckedAt,
        TimeSpan latency,
        int consecutiveFailures,
        int consecutiveSuccesses,
        DateTimeOffset? lastTransitionAt,
        Exception? lastException)
    {
        Name = name;
        Severity = severity;
        Status = status;
        Description = description;
        LastCheckedAt = lastCheckedAt;
        Latency = latency;
        ConsecutiveFailures = consecutiveFailures;
        ConsecutiveSuccesses = consecutiveSuccesses;
        LastTransitionAt = lastTransitionAt;
        LastException = lastException;
    }

    /// <summary>The component's name.</summary>
    public string Name { get; }

    /// <summary>How much the component matters (its weight in <see cref="HealthMonitor.OverallStatus"/>).</summary>
    public ComponentSeverity Severity { get; }

    /// <summary>The status after hysteresis (see <see cref="HealthMonitorOptions"/>); Healthy before the first check.</summary>
    public HealthStatus Status { get; }

    /// <summary>The last check's description, or why it failed (redacted); <see langword="null"/> when it said nothing.</summary>
    public string? Description { get; }

    /// <summary>When the last check finished; <see langword="null"/> before the first one.</summary>
    public DateTimeOffset? LastCheckedAt { get; }

    /// <summary>How long the last check took, measured on the monitor's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Latency { get; }

    /// <summary>Failed checks in a row (0 after a passed one).</summary>
    public int ConsecutiveFailures { get; }

    /// <summary>Passed checks in a row (0 after a failed or degraded one).</summary>
    public int ConsecutiveSuccesses { get; }

    /// <summary>When <see cref="Status"/> last changed; <see langword="null"/> if it never did.</summary>
    public DateTimeOffset? LastTransitionAt { get; }

    /// <summary>The exception of the last failed check, if it threw or reported one.</summary>
    public Exception? LastException { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Status} ({Latency.TotalMilliseconds:0} ms){(Description is null ? string.Empty : " " + Description)}";
}
