using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast;

/// <summary>Published on the <see cref="IEventBus"/> when a <see cref="HealthMonitor"/> component's status changes.</summary>
/// <param name="Component">The component's name.</param>
/// <param name="Previous">The status before the change.</param>
/// <param name="Current">The status after the change.</param>
/// <param name="Description">The check's description or why it failed (redacted).</param>
/// <param name="Severity">How much the component matters.</param>
/// <param name="At">When the change happened.</param>
public sealed record ComponentHealthChanged(
    string Component,
    HealthStatus Previous,
    HealthStatus Current,
    string? Description,
    ComponentSeverity Severity,
    DateTimeOffset At);
