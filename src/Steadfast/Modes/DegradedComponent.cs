namespace Steadfast;

/// <summary>A component an <see cref="OperationModeManager"/> counts as degraded.</summary>
/// <param name="Name">The component's name.</param>
/// <param name="Reason">Why it is degraded (redacted).</param>
/// <param name="Severity">How much it matters: High or Critical puts the system into <see cref="OperationMode.Emergency"/>.</param>
/// <param name="Since">When it was first marked degraded (kept when it is marked again).</param>
public sealed record DegradedComponent(string Name, string Reason, ComponentSeverity Severity, DateTimeOffset Since);
