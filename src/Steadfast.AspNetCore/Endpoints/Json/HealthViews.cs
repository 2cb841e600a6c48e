using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary><c>GET health</c>: the overall status and every component of the health monitor.</summary>
internal sealed record HealthView(HealthStatus Status, IReadOnlyList<ComponentView> Components, DateTimeOffset At)
{
    public static HealthView Of(HealthMonitor? monitor, DateTimeOffset now) => monitor is null
        ? new HealthView(HealthStatus.Healthy, [], now)
        : new HealthView(monitor.OverallStatus, [.. monitor.GetComponents().OrderBy(c => c.Name, StringComparer.Ordinal).Select(ComponentView.Of)], now);
}

/// <summary>One health component; <see cref="Description"/> redacted (it may carry an exception's message).</summary>
internal sealed record ComponentView(
    string Name,
    HealthStatus Status,
    string? Description,
    double LatencyMs,
    DateTimeOffset? LastCheckedAt,
    int ConsecutiveFailures,
    ComponentSeverity Severity,
    DateTimeOffset? LastTransitionAt)
{
    public static ComponentView Of(ComponentHealth health) => new(
        health.Name, health.Status, Redact.Text(health.Description), health.Latency.TotalMilliseconds, health.LastCheckedAt,
        health.ConsecutiveFailures, health.Severity, health.LastTransitionAt);
}

/// <summary><c>GET mode</c>: the operation mode, the degraded components and every reason; texts redacted.</summary>
internal sealed record ModeView(OperationMode Mode, IReadOnlyList<DegradedComponentView> DegradedComponents, IReadOnlyList<ReasonView> Reasons)
{
    public static ModeView Of(OperationModeManager? modes) => modes is null
        ? new ModeView(OperationMode.Normal, [], [])
        : new ModeView(
            modes.CurrentMode,
            [.. modes.GetDegradedComponents().Values.OrderBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new DegradedComponentView(c.Name, Redact.Text(c.Reason) ?? string.Empty, c.Severity, c.Since))],
            ReasonView.Of(modes.GetDegradationReasons()));
}

/// <summary>A component marked degraded, with why and since when.</summary>
internal sealed record DegradedComponentView(string Name, string Reason, ComponentSeverity Severity, DateTimeOffset Since);

/// <summary>One reason the system is not Normal: a component's, or the operator's (no component).</summary>
internal sealed record ReasonView(string? Component, string Description, OperationMode Mode, DateTimeOffset Since)
{
    public static IReadOnlyList<ReasonView> Of(IReadOnlyList<DegradationReason> reasons) =>
        [.. reasons.Select(r => new ReasonView(r.Component, Redact.Text(r.Description) ?? string.Empty, r.Mode, r.Since))];
}

/// <summary>The body of <c>POST mode</c>: <c>normal</c>, <c>degraded</c> or <c>emergency</c>, and why.</summary>
internal sealed record ModeRequest(string? Mode, string? Reason);

/// <summary>The <c>mode</c> event: the operation mode changed.</summary>
internal sealed record ModeEvent(OperationMode Previous, OperationMode Mode, IReadOnlyList<ReasonView> Reasons, DateTimeOffset At);

/// <summary>The <c>health</c> event: a component's status changed.</summary>
internal sealed record HealthEvent(ComponentView Component, HealthStatus Previous, HealthStatus Overall, DateTimeOffset At);

/// <summary>The <c>alert</c> event: an operator alert (a problem, or recovered); the message redacted.</summary>
internal sealed record AlertEvent(string Component, OperatorAlertKind Kind, ErrorSeverity Severity, string Message, int SuppressedCount, DateTimeOffset At);
