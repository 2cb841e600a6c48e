namespace Steadfast;

/// <summary>
/// <see cref="CircuitBreakerMode.ConsecutiveFailures"/>: the circuit opens after
/// <see cref="CircuitBreakerOptions.FailureThreshold"/> handled failures in a row; a success of a closed circuit resets
/// the streak. Failed probes lengthen the streak too, so a snapshot tells how long the service has been failing.
/// </summary>
internal sealed class ConsecutiveFailureHealth(int failureThreshold) : ICircuitHealth
{
    // Reset without the lock by successes of a closed circuit; otherwise written under the state machine's lock, with
    // interlocked increments because such a reset may race with them.
    private int _consecutiveFailures;

    public CircuitTransitionReason OpenReason => CircuitTransitionReason.FailureThresholdReached;

    public int FailureCount => Volatile.Read(ref _consecutiveFailures);

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    public void RecordSuccess()
    {
        // Only write when needed: an unconditional write would bounce the cache line between cores on every call.
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }
    }

    public void RecordFailure()
    {
        // Nothing to sample: the streak grows under the lock, where the decision to open is taken with it.
    }

    public bool OnClosedFailure_NeedsLock() => Interlocked.Increment(ref _consecutiveFailures) >= failureThreshold;

    public void OnProbeFailed_NeedsLock() => Interlocked.Increment(ref _consecutiveFailures);

    public void Reset_NeedsLock() => Volatile.Write(ref _consecutiveFailures, 0);

    public void Restore_NeedsLock(int? consecutiveFailures)
    {
        if (consecutiveFailures is { } streak)
        {
            Volatile.Write(ref _consecutiveFailures, streak);
        }
    }
}
