namespace Steadfast;

/// <summary>The state of a <c>CircuitBreaker</c>.</summary>
public enum CircuitState
{
    /// <summary>Calls flow; handled failures are counted.</summary>
    Closed = 0,

    /// <summary>Calls fail fast with <see cref="CircuitOpenException"/> until the cooldown has elapsed.</summary>
    Open,

    /// <summary>A limited number of probe calls test whether the service has recovered.</summary>
    HalfOpen,

    /// <summary>Forced open by an operator (<c>CircuitBreaker.Isolate()</c>); only <c>CircuitBreaker.Reset()</c> closes it.</summary>
    Isolated,
}
