namespace Steadfast;

/// <summary>Published on the <see cref="IEventBus"/> for each action of each recovery decision (one event per action).</summary>
/// <param name="Component">The component that failed.</param>
/// <param name="Operation">The operation that failed.</param>
/// <param name="Action">The action (a single flag).</param>
/// <param name="Severity">The severity the action was chosen for.</param>
/// <param name="Escalated">Whether the decision was escalated by a recurring pattern.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="At">When it was decided.</param>
public sealed record RecoveryActionTaken(string Component, string Operation, RecoveryAction Action, ErrorSeverity Severity, bool Escalated, string Reason, DateTimeOffset At);
