namespace Steadfast;

/// <summary>The data of <see cref="CircuitBreaker.StateChanged"/>.</summary>
public sealed class CircuitStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="circuitName">The circuit's name.</param>
    /// <param name="oldState">The state before the change.</param>
    /// <param name="newState">The state after the change.</param>
    /// <param name="reason">Why the state changed.</param>
    /// <param name="lastError">The failure that last counted against the circuit, if any.</param>
    public CircuitStateChangedEventArgs(string circuitName, CircuitState oldState, CircuitState newState, CircuitTransitionReason reason, Exception? lastError)
    {
        CircuitName = circuitName;
        OldState = oldState;
        NewState = newState;
        Reason = reason;
        LastError = lastError;
    }

    /// <summary>The circuit's name.</summary>
    public string CircuitName { get; }

    /// <summary>The state before the change.</summary>
    public CircuitState OldState { get; }

    /// <summary>The state after the change.</summary>
    public CircuitState NewState { get; }

    /// <summary>Why the state changed.</summary>
    public CircuitTransitionReason Reason { get; }

    /// <summary>The failure that last counted against the circuit, if any (for example the probe that failed).</summary>
    public Exception? LastError { get; }
}
