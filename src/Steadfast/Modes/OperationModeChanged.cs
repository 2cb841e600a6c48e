namespace Steadfast;

/// <summary>Published on the <see cref="IEventBus"/> when an <see cref="OperationModeManager"/>'s mode changes.</summary>
/// <param name="Previous">The mode before the change.</param>
/// <param name="Current">The mode after the change.</param>
/// <param name="Reasons">Why the system is in <paramref name="Current"/> (empty in Normal).</param>
/// <param name="At">When the mode changed.</param>
public sealed record OperationModeChanged(OperationMode Previous, OperationMode Current, IReadOnlyList<DegradationReason> Reasons, DateTimeOffset At);
