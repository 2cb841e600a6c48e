namespace Steadfast;

/// <summary>
/// Thrown when a circuit breaker refuses a call without invoking it, because the circuit is open, isolated,
/// or half-open with all of its probe slots taken.
/// </summary>
public class CircuitOpenException : ExecutionRejectedException, IRetryAfterHint
{
    /// <summary>Creates the exception with a default message.</summary>
    public CircuitOpenException()
        : this("The circuit is open.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CircuitOpenException(string message)
        : base(message)
    {
        CircuitName = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CircuitOpenException(string message, Exception? innerException)
        : base(message, innerException)
    {
        CircuitName = string.Empty;
    }

    /// <summary>Creates the exception for a named circuit.</summary>
    /// <param name="circuitName">The circuit that refused the call.</param>
    /// <param name="state">The state it was in.</param>
    /// <param name="retryAfter">How long until it will admit a call again, when known.</param>
    /// <param name="lastError">The failure that last counted against the circuit, if any.</param>
    public CircuitOpenException(string circuitName, CircuitState state, TimeSpan? retryAfter, Exception? lastError = null)
        : base(BuildMessage(circuitName, state, retryAfter), lastError)
    {
        CircuitName = circuitName;
        State = state;
        RetryAfter = retryAfter;
    }

    /// <summary>The name of the circuit that refused the call.</summary>
    public string CircuitName { get; }

    /// <summary>The state the circuit was in when it refused the call.</summary>
    public CircuitState State { get; } = CircuitState.Open;

    /// <summary>How long until the circuit admits a call again; <see langword="null"/> when isolated or unknown.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string BuildMessage(string name, CircuitState state, TimeSpan? retryAfter) => state switch
    {
        CircuitState.Isolated => $"Circuit '{name}' is isolated by an operator; call Reset() to let calls through again.",
        CircuitState.HalfOpen => $"Circuit '{name}' is half-open and all of its probe calls are in flight; retry after {Format(retryAfter)}.",
        _ => $"Circuit '{name}' is open; calls are refused for another {Format(retryAfter)}.",
    };

    private static string Format(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.###} s" : "a moment";
}
