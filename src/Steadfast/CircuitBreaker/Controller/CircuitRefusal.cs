namespace Steadfast;

/// <summary>Why the <see cref="CircuitStateMachine"/> refused a call: what a <see cref="CircuitOpenException"/> is built from.</summary>
/// <param name="State">The state the circuit was in.</param>
/// <param name="RetryAfter">How long until it admits a call again; <see langword="null"/> while isolated.</param>
/// <param name="LastError">The failure that last counted against the circuit, if any.</param>
internal readonly record struct CircuitRefusal(CircuitState State, TimeSpan? RetryAfter, Exception? LastError);
