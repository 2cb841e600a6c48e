namespace Steadfast;

/// <summary>What <see cref="ErrorRecoveryOrchestrator.HandleErrorAsync"/> decided for one error.</summary>
/// <param name="Actions">The recovery actions (a set).</param>
/// <param name="Escalated">Whether the decision was raised one severity level because the error's pattern recurs.</param>
/// <param name="Reason">Why these actions, in words.</param>
/// <param name="Severity">The severity the actions were chosen for (one above the error's when escalated).</param>
/// <param name="PatternCount">How often this component failed with this error type within <see cref="RecoveryOptions.PatternWindow"/>, this error included.</param>
/// <param name="AlertSent">Whether an operator alert was published (an alert within <see cref="RecoveryOptions.AlertThrottle"/> of the last one is suppressed).</param>
public sealed record RecoveryDecision(RecoveryAction Actions, bool Escalated, string Reason, ErrorSeverity Severity, int PatternCount, bool AlertSent)
{
    /// <summary>Whether <see cref="Actions"/> contains <paramref name="action"/>.</summary>
    /// <param name="action">The action.</param>
    /// <returns><see langword="true"/> if every flag of <paramref name="action"/> is set.</returns>
    public bool Has(RecoveryAction action) => (Actions & action) == action;
}
