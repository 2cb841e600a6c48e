namespace Steadfast;

/// <summary>
/// The persistable state of one <c>CircuitBreaker</c>: what <c>CircuitBreaker.GetSnapshot()</c> returns
/// and <c>CircuitBreaker.Restore()</c> accepts, and what an <see cref="ICircuitStateStore"/> keeps.
/// Times are absolute (UTC), so a circuit open before a restart stays open for the rest of its cooldown.
/// </summary>
public sealed record CircuitBreakerSnapshot
{
    /// <summary>The circuit's name.</summary>
    public required string Name { get; init; }

    /// <summary>The state when the snapshot was taken.</summary>
    public CircuitState State { get; init; }

    /// <summary>Consecutive handled failures counted while closed.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>When the circuit last opened, if it is open.</summary>
    public DateTimeOffset? OpenedAt { get; init; }

    /// <summary>When the current cooldown ends and the next call may probe, if it is open.</summary>
    public DateTimeOffset? OpenUntil { get; init; }

    /// <summary>How many times in a row the circuit has opened without closing; drives the growing cooldown.</summary>
    public int ConsecutiveOpenings { get; init; }

    /// <summary>When the last handled failure happened.</summary>
    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>A one-line description (type: message) of the last handled failure.</summary>
    public string? LastError { get; init; }

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset SavedAt { get; init; }
}
