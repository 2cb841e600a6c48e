namespace Steadfast;

/// <summary>Cumulative call counts of one <see cref="CircuitBreaker"/> since it was created.</summary>
public readonly record struct CircuitBreakerMetrics
{
    /// <summary>Calls that completed or were rejected: <see cref="Successes"/> + <see cref="Failures"/> + <see cref="Rejections"/> + <see cref="Ignored"/>.</summary>
    public long TotalCalls => Successes + Failures + Rejections + Ignored;

    /// <summary>Calls that succeeded.</summary>
    public long Successes { get; init; }

    /// <summary>Calls that failed with an exception the circuit handles (it counted against the circuit).</summary>
    public long Failures { get; init; }

    /// <summary>Calls refused without being invoked because the circuit was open, isolated or had no free probe slot.</summary>
    public long Rejections { get; init; }

    /// <summary>Calls that ended in a way the circuit does not count: an exception <see cref="CircuitBreakerOptions.ShouldHandle"/> declined, or the caller's cancellation.</summary>
    public long Ignored { get; init; }

    /// <summary><see cref="Successes"/> / (<see cref="Successes"/> + <see cref="Failures"/>); 1 when no call has completed yet.</summary>
    public double SuccessRate => Successes + Failures == 0 ? 1.0 : (double)Successes / (Successes + Failures);
}
