namespace Steadfast;

/// <summary>
/// Published on the <see cref="IEventBus"/> for an operator: a problem (at most one per component per
/// <see cref="RecoveryOptions.AlertThrottle"/>) or, after one, the component's recovery.
/// </summary>
/// <param name="Component">The component.</param>
/// <param name="Kind">Problem or recovered.</param>
/// <param name="Severity">The severity of the decision that raised it (for a recovery, that of the last problem).</param>
/// <param name="Message">What happened (redacted).</param>
/// <param name="At">When.</param>
/// <param name="SuppressedCount">Problem alerts of this component suppressed by the throttle since the previous alert.</param>
public sealed record OperatorAlert(string Component, OperatorAlertKind Kind, ErrorSeverity Severity, string Message, DateTimeOffset At, int SuppressedCount);
