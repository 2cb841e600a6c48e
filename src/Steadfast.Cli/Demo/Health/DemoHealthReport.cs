using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.Cli.Demo.Health;

/// <summary>The demo's health at the end of a run (<c>health</c> in --json).</summary>
/// <param name="Mode">The operation mode at the end.</param>
/// <param name="Transitions">Every change of mode during the run, oldest first.</param>
/// <param name="ComponentChanges">Every change of a component's status during the run, oldest first.</param>
/// <param name="Components">Each simulated provider's component: its last status and latency, in name order.</param>
internal sealed record DemoHealthReport(OperationMode Mode, IReadOnlyList<ModeTransition> Transitions, IReadOnlyList<ComponentChange> ComponentChanges,
    IReadOnlyList<ComponentReport> Components);

/// <summary>One change of a component's status.</summary>
/// <param name="At">When it changed (on the run's clock).</param>
/// <param name="Component">The component.</param>
/// <param name="From">Its status before.</param>
/// <param name="To">Its status after.</param>
/// <param name="Description">Why (the failed check's reason); <see langword="null"/> when it is healthy again.</param>
internal sealed record ComponentChange(DateTimeOffset At, string Component, HealthStatus From, HealthStatus To, string? Description);

/// <summary>One change of the operation mode.</summary>
/// <param name="At">When it changed (on the run's clock).</param>
/// <param name="From">The mode before.</param>
/// <param name="To">The mode after.</param>
/// <param name="Reasons">Why the system is not Normal (component: reason); empty when it is Normal again.</param>
internal sealed record ModeTransition(DateTimeOffset At, OperationMode From, OperationMode To, IReadOnlyList<string> Reasons);

/// <summary>A component's last known health.</summary>
/// <param name="Name">The component (the simulated provider's name).</param>
/// <param name="Status">Its status after hysteresis.</param>
/// <param name="LatencyMs">How long its last check took, in milliseconds, on the run's clock.</param>
/// <param name="Description">Why it is not healthy; <see langword="null"/> when it is.</param>
/// <param name="LastCheckedAt">When it was last checked; <see langword="null"/> if never.</param>
internal sealed record ComponentReport(string Name, HealthStatus Status, double LatencyMs, string? Description, DateTimeOffset? LastCheckedAt)
{
    public static ComponentReport Of(ComponentHealth c) =>
        new(c.Name, c.Status, Math.Round(c.Latency.TotalMilliseconds, 1), c.Status == HealthStatus.Healthy ? null : c.Description, c.LastCheckedAt);
}
