namespace Steadfast;

/// <summary>
/// <see cref="CircuitBreakerMode.FailureRatio"/>: the circuit opens when, within the last
/// <see cref="CircuitBreakerOptions.SamplingDuration"/>, at least <see cref="CircuitBreakerOptions.MinimumThroughput"/>
/// calls completed and the share of handled failures reached <see cref="CircuitBreakerOptions.FailureRatio"/>.
/// Outcomes are sampled in a lock-free <see cref="SamplingWindow"/>.
/// </summary>
internal sealed class FailureRatioHealth : ICircuitHealth
{
    private readonly SamplingWindow _window;
    private readonly double _failureRatio;
    private readonly int _minimumThroughput;

    // Failed probes since the circuit last closed (the outcomes of a closed circuit go to the window instead): the
    // streak a snapshot carries in this mode. Guarded by the state machine's lock.
    private int _consecutiveFailures;

    public FailureRatioHealth(CircuitBreakerOptions options, TimeProvider time)
    {
        _window = new SamplingWindow(options.SamplingDuration, time);
        _failureRatio = options.FailureRatio;
        _minimumThroughput = options.MinimumThroughput;
    }

    public CircuitTransitionReason OpenReason => CircuitTransitionReason.FailureRatioReached;

    public int FailureCount => _window.Totals().Failures;

    public int ConsecutiveFailures => _consecutiveFailures;

    public void RecordSuccess() => _window.RecordSuccess();

    // Every handled failure is sampled, also the late ones of an open circuit: the status reports the window's failures.
    public void RecordFailure() => _window.RecordFailure();

    public bool OnClosedFailure_NeedsLock()
    {
        var (successes, failures) = _window.Totals();
        var total = successes + failures;
        return total >= _minimumThroughput && failures >= _failureRatio * total;
    }

    public void OnProbeFailed_NeedsLock() => _consecutiveFailures++;

    public void Reset_NeedsLock()
    {
        _consecutiveFailures = 0;
        _window.Clear();
    }

    public void Restore_NeedsLock(int? consecutiveFailures)
    {
        _window.Clear();
        if (consecutiveFailures is { } streak)
        {
            _consecutiveFailures = streak;
        }
    }
}
