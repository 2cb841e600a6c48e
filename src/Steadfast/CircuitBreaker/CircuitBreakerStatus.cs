namespace Steadfast;

/// <summary>A point-in-time view of one <see cref="CircuitBreaker"/>, for dashboards, health checks and the CLI.</summary>
public sealed record CircuitBreakerStatus
{
    /// <summary>The circuit's name.</summary>
    public required string Name { get; init; }

    /// <summary>The state. An open circuit whose cooldown has elapsed still reads <see cref="CircuitState.Open"/> until the next call probes it.</summary>
    public CircuitState State { get; init; }

    /// <summary>Consecutive handled failures counted (in failure-ratio mode: failures in the current sampling window).</summary>
    public int FailureCount { get; init; }

    /// <summary>When the last handled failure happened.</summary>
    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>A one-line description (type: message) of the last handled failure.</summary>
    public string? LastError { get; init; }

    /// <summary>When the circuit last opened, while it is open or half-open.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>How long until an open circuit admits a probe call; zero when the cooldown has elapsed; <see langword="null"/> otherwise.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How many times in a row the circuit opened without closing (drives the growing cooldown).</summary>
    public int ConsecutiveOpenings { get; init; }
}
