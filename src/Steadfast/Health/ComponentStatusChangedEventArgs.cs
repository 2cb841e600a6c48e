using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast;

/// <summary>The data of <see cref="HealthMonitor.StatusChanged"/>.</summary>
public sealed class ComponentStatusChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="health">The component's health after the change.</param>
    /// <param name="previous">The status before the change.</param>
    public ComponentStatusChangedEventArgs(ComponentHealth health, HealthStatus previous)
    {
        ArgumentNullException.ThrowIfNull(health);
        Health = health;
        Previous = previous;
    }

    /// <summary>The component's name.</summary>
    public string Component => Health.Name;

    /// <summary>The status before the change.</summary>
    public HealthStatus Previous { get; }

    /// <summary>The status after the change.</summary>
    public HealthStatus Current => Health.Status;

    /// <summary>The check's description or why it failed (redacted).</summary>
    public string? Description => Health.Description;

    /// <summary>The component's whole health after the change.</summary>
    public ComponentHealth Health { get; }
}
