namespace Steadfast;

/// <summary>Published on the <see cref="IEventBus"/> when a circuit registered with an <see cref="ErrorRecoveryOrchestrator"/> changes state.</summary>
/// <param name="Circuit">The circuit's name.</param>
/// <param name="Previous">The state before.</param>
/// <param name="Current">The state after.</param>
/// <param name="Reason">Why it changed.</param>
/// <param name="At">When it changed.</param>
public sealed record CircuitStateChanged(string Circuit, CircuitState Previous, CircuitState Current, CircuitTransitionReason Reason, DateTimeOffset At);
