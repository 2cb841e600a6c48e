namespace Steadfast;

/// <summary>
/// A state change decided under the <see cref="CircuitStateMachine"/>'s lock, to be announced (logs, metrics,
/// <see cref="CircuitBreaker.StateChanged"/>) after the lock is released. The default value is "no change".
/// </summary>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">Why it changed.</param>
/// <param name="LastError">The failure that last counted against the circuit, if any.</param>
/// <param name="Cooldown">The cooldown in force after the change (what an opening refuses calls for).</param>
internal readonly record struct CircuitTransition(CircuitState From, CircuitState To, CircuitTransitionReason Reason, Exception? LastError, TimeSpan Cooldown)
{
    /// <summary>Whether the state really changed (a reset of a closed circuit, for example, changes nothing).</summary>
    public bool IsChange => From != To;
}
