namespace Steadfast;

/// <summary>
/// How a closed circuit judges the health of the service it guards: what it counts, and when the count says "open".
/// One implementation per <see cref="CircuitBreakerMode"/>, chosen once when the breaker is built, so no call has to
/// ask which mode it is in.
/// </summary>
/// <remarks>
/// <see cref="RecordSuccess"/> and <see cref="RecordFailure"/> are called without any lock; the members ending in
/// <c>_NeedsLock</c> are called under the lock of the <see cref="CircuitStateMachine"/> that owns this object, which
/// is what makes their read-decide-write sequences atomic.
/// </remarks>
internal interface ICircuitHealth
{
    /// <summary>The reason a closed circuit gives when <see cref="OnClosedFailure_NeedsLock"/> says it must open.</summary>
    CircuitTransitionReason OpenReason { get; }

    /// <summary>The failures <see cref="CircuitBreakerStatus.FailureCount"/> reports.</summary>
    int FailureCount { get; }

    /// <summary>The failure streak <see cref="CircuitBreakerSnapshot.ConsecutiveFailures"/> carries.</summary>
    int ConsecutiveFailures { get; }

    /// <summary>Counts a success of a closed circuit. The hot path of every call: takes no lock and allocates nothing.</summary>
    void RecordSuccess();

    /// <summary>Counts a handled failure, whatever the circuit's state, before the state machine decides what it means.</summary>
    void RecordFailure();

    /// <summary>Judges a closed circuit after a handled failure (already given to <see cref="RecordFailure"/>).</summary>
    /// <returns><see langword="true"/> when the circuit must open.</returns>
    bool OnClosedFailure_NeedsLock();

    /// <summary>Counts a half-open probe that failed (the circuit opens again whatever this returns).</summary>
    void OnProbeFailed_NeedsLock();

    /// <summary>Forgets everything counted: the circuit closed.</summary>
    void Reset_NeedsLock();

    /// <summary>Forgets the sampled outcomes and, when given, takes the failure streak of a restored snapshot.</summary>
    /// <param name="consecutiveFailures">The streak to continue from; <see langword="null"/> keeps the current one.</param>
    void Restore_NeedsLock(int? consecutiveFailures);
}
