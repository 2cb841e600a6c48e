namespace Steadfast;

/// <summary>
/// The states of one circuit and the rules that move it between them: closed; open for a cooldown that grows while
/// the service keeps failing; half-open with a bounded number of probes and a success threshold; isolated by hand;
/// reset; and the persistable snapshot with its restore. Whether a closed circuit is unhealthy enough to open is the
/// <see cref="ICircuitHealth"/>'s judgement, chosen once for the breaker's mode.
/// </summary>
/// <remarks>
/// One lock guards every field but the state, which every call reads without it (and which is written only under it),
/// so a closed circuit admits calls and counts their successes lock-free. The methods that may change the state return
/// a <see cref="CircuitTransition"/> for the owner to announce once the lock is released: this class never runs user
/// code, logs or records metrics.
/// </remarks>
internal sealed class CircuitStateMachine
{
    private const int ClosedState = (int)CircuitState.Closed;
    private const int HalfOpenState = (int)CircuitState.HalfOpen;

    private readonly Lock _lock = new();
    private readonly string _name;
    private readonly CircuitBreakerOptions _options;
    private readonly ICircuitHealth _health;
    private readonly TimeProvider _time;

    // Read without the lock on every call; written only under the lock.
    private volatile int _state;

    // Guarded by _lock.
    private int _consecutiveOpenings;
    private TimeSpan _currentCooldown;
    private DateTimeOffset? _openedAt;
    private DateTimeOffset _openUntil;
    private DateTimeOffset _halfOpenUntil;
    private int _halfOpenAdmitted;
    private int _halfOpenSuccesses;
    private long _probeGeneration;
    private DateTimeOffset? _lastFailureAt;
    private Exception? _lastException;
    private string? _lastError;

    /// <param name="name">The circuit's name, for its status and snapshots.</param>
    /// <param name="options">Validated options the caller will not change.</param>
    /// <param name="health">What a closed circuit counts; owned by this machine from now on.</param>
    /// <param name="time">The clock.</param>
    public CircuitStateMachine(string name, CircuitBreakerOptions options, ICircuitHealth health, TimeProvider time)
    {
        _name = name;
        _options = options;
        _health = health;
        _time = time;
        _currentCooldown = options.Cooldown;
    }

    /// <summary>The current state, read without the lock.</summary>
    public CircuitState State => (CircuitState)_state;

    /// <summary>Whether the circuit is closed: a call may then be admitted without <see cref="TryAcquire"/>.</summary>
    public bool IsClosed => _state == ClosedState;

    /// <summary>
    /// Admits a call or refuses it, under the lock. An open circuit whose cooldown has elapsed moves to half-open and
    /// admits the call as its first probe; a half-open one admits up to <see cref="CircuitBreakerOptions.HalfOpenMaxCalls"/>
    /// probes per round.
    /// </summary>
    /// <param name="transition">The state change the admission caused, if any.</param>
    /// <param name="refusal">When refused: the state, how long until a call may pass, and the last failure.</param>
    /// <param name="probe">When a half-open probe was admitted: its round, for the shared probe limit; otherwise the default.</param>
    /// <returns><see langword="true"/> when the call is admitted.</returns>
    public bool TryAcquire(out CircuitTransition transition, out CircuitRefusal refusal, out CircuitProbe probe)
    {
        transition = default;
        refusal = default;
        probe = default;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var state = (CircuitState)_state;
            switch (state)
            {
                case CircuitState.Closed:
                    return true;

                case CircuitState.Open when now >= _openUntil:
                    StartProbeRound_NeedsLock(now);
                    transition = SetState_NeedsLock(CircuitState.HalfOpen, CircuitTransitionReason.CooldownElapsed);
                    probe = new CircuitProbe(_probeGeneration, _currentCooldown);
                    return true;

                case CircuitState.Open:
                    refusal = new CircuitRefusal(state, _openUntil - now, _lastException);
                    return false;

                case CircuitState.HalfOpen when _halfOpenAdmitted < _options.HalfOpenMaxCalls:
                    _halfOpenAdmitted++;
                    probe = new CircuitProbe(_probeGeneration, _currentCooldown);
                    return true;

                case CircuitState.HalfOpen when now >= _halfOpenUntil:
                    // The previous probes never reported back within a cooldown: start a fresh round rather than stay stuck.
                    StartProbeRound_NeedsLock(now);
                    probe = new CircuitProbe(_probeGeneration, _currentCooldown);
                    return true;

                case CircuitState.HalfOpen:
                    refusal = new CircuitRefusal(state, _halfOpenUntil - now, _lastException);
                    return false;

                default:
                    refusal = new CircuitRefusal(state, null, _lastException);
                    return false;
            }
        }
    }

    /// <summary>
    /// Counts the success of a closed circuit without the lock: the hot path. Returns <see langword="false"/>, counting
    /// nothing, when the circuit is not closed; the caller then reports the success through <see cref="RecordSuccess"/>.
    /// </summary>
    /// <returns><see langword="true"/> when the success was counted.</returns>
    public bool TryRecordClosedSuccess()
    {
        if (_state != ClosedState)
        {
            return false;
        }

        _health.RecordSuccess();
        return true;
    }

    /// <summary>Counts a success under the lock: a probe success may close a half-open circuit.</summary>
    /// <returns>The state change, if any.</returns>
    public CircuitTransition RecordSuccess()
    {
        lock (_lock)
        {
            switch ((CircuitState)_state)
            {
                case CircuitState.Closed:
                    _health.RecordSuccess();
                    break;
                case CircuitState.HalfOpen:
                    _halfOpenSuccesses++;
                    if (_halfOpenSuccesses >= _options.SuccessThreshold)
                    {
                        return Close_NeedsLock(CircuitTransitionReason.ProbesSucceeded);
                    }

                    break;
                default:
                    // Open or isolated: a call admitted before the circuit opened ended late; it proves nothing now.
                    break;
            }
        }

        return default;
    }

    /// <summary>Counts a handled failure: it may open a closed circuit, and reopens a half-open one.</summary>
    /// <param name="exception">What the call threw; <see langword="null"/> for a result counted as a failure.</param>
    /// <param name="description">A description of a failed result; <see langword="null"/> for an exception.</param>
    /// <returns>The state change, if any.</returns>
    public CircuitTransition RecordFailure(Exception? exception, string? description)
    {
        _health.RecordFailure();
        description = description is null ? null : SecretRedactor.RedactText(description); // shown by status, stored in snapshots
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _lastFailureAt = now;
            _lastException = exception;
            _lastError = description;
            switch ((CircuitState)_state)
            {
                case CircuitState.Closed:
                    return _health.OnClosedFailure_NeedsLock() ? Open_NeedsLock(now, _health.OpenReason) : default;
                case CircuitState.HalfOpen:
                    _health.OnProbeFailed_NeedsLock();
                    return Open_NeedsLock(now, CircuitTransitionReason.ProbeFailed);
                default:
                    // Open or isolated: a call admitted before the circuit opened ended late; nothing more to decide.
                    return default;
            }
        }
    }

    /// <summary>Gives back the probe slot of an admission that ended without an outcome, so another probe may take it.</summary>
    public void ReleaseProbe()
    {
        if (_state != HalfOpenState)
        {
            return;
        }

        lock (_lock)
        {
            if (_state == HalfOpenState && _halfOpenAdmitted > _halfOpenSuccesses)
            {
                _halfOpenAdmitted--;
            }
        }
    }

    /// <summary>
    /// Undoes the local admission of a probe the shared limit refused (when its round is still the current one) and says
    /// why the call is refused.
    /// </summary>
    /// <param name="probe">The probe <see cref="TryAcquire"/> admitted.</param>
    /// <returns>The refusal to report.</returns>
    public CircuitRefusal RefuseProbe(CircuitProbe probe)
    {
        lock (_lock)
        {
            var state = (CircuitState)_state;
            var now = _time.GetUtcNow();
            if (state == CircuitState.HalfOpen && _probeGeneration == probe.Generation && _halfOpenAdmitted > _halfOpenSuccesses)
            {
                _halfOpenAdmitted--;
            }

            TimeSpan? retryAfter = state switch
            {
                CircuitState.HalfOpen => Max(_halfOpenUntil - now, TimeSpan.Zero),
                CircuitState.Open => Max(_openUntil - now, TimeSpan.Zero),
                CircuitState.Closed => TimeSpan.Zero,
                _ => null,
            };
            return new CircuitRefusal(state == CircuitState.Closed ? CircuitState.HalfOpen : state, retryAfter, _lastException);
        }
    }

    /// <summary>Closes the circuit by hand and forgets its counts (the last error stays for the record).</summary>
    /// <returns>The state change, if any.</returns>
    public CircuitTransition Reset()
    {
        lock (_lock)
        {
            return Close_NeedsLock(CircuitTransitionReason.ManualReset);
        }
    }

    /// <summary>Forces the circuit open until <see cref="Reset"/>.</summary>
    /// <returns>The state change, if any.</returns>
    public CircuitTransition Isolate()
    {
        lock (_lock)
        {
            _openedAt = _time.GetUtcNow();
            return SetState_NeedsLock(CircuitState.Isolated, CircuitTransitionReason.ManualIsolation);
        }
    }

    /// <summary>A consistent view of the circuit, for <see cref="CircuitBreaker.GetStatus"/>.</summary>
    /// <returns>The status.</returns>
    public CircuitBreakerStatus GetStatus()
    {
        lock (_lock)
        {
            var state = (CircuitState)_state;
            var now = _time.GetUtcNow();
            return new CircuitBreakerStatus
            {
                Name = _name,
                State = state,
                FailureCount = _health.FailureCount,
                LastFailureAt = _lastFailureAt,
                LastError = LastError_NeedsLock(),
                OpenedAt = state == CircuitState.Closed ? null : _openedAt,
                RetryAfter = state == CircuitState.Open ? Max(_openUntil - now, TimeSpan.Zero) : null,
                ConsecutiveOpenings = _consecutiveOpenings,
            };
        }
    }

    /// <summary>The persistable state, with absolute UTC times.</summary>
    /// <returns>The snapshot.</returns>
    public CircuitBreakerSnapshot GetSnapshot()
    {
        lock (_lock)
        {
            var state = (CircuitState)_state;
            return new CircuitBreakerSnapshot
            {
                Name = _name,
                State = state,
                ConsecutiveFailures = _health.ConsecutiveFailures,
                OpenedAt = state == CircuitState.Closed ? null : _openedAt,
                OpenUntil = state is CircuitState.Open or CircuitState.HalfOpen ? _openUntil : null,
                ConsecutiveOpenings = _consecutiveOpenings,
                LastFailureAt = _lastFailureAt,
                LastError = LastError_NeedsLock(),
                SavedAt = _time.GetUtcNow(),
            };
        }
    }

    /// <summary>
    /// Applies a snapshot of this circuit. Open stays open until the snapshot's end of cooldown; half-open comes back
    /// open with its cooldown over (its probes died with the old process); closed keeps its streak below the threshold.
    /// </summary>
    /// <param name="snapshot">A snapshot whose name the caller has checked.</param>
    /// <returns>The state change, if any (its reason is <see cref="CircuitTransitionReason.Restored"/>).</returns>
    public CircuitTransition Restore(CircuitBreakerSnapshot snapshot)
    {
        // A snapshot written before last errors were redacted (or by another tool) must not bring its secret back.
        var lastError = snapshot.LastError is { } stored ? SecretRedactor.RedactText(stored) : null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _lastFailureAt = snapshot.LastFailureAt;
            _lastError = lastError;
            _lastException = null;
            _consecutiveOpenings = Math.Max(0, snapshot.ConsecutiveOpenings);
            _halfOpenAdmitted = 0;
            _halfOpenSuccesses = 0;
            switch (snapshot.State)
            {
                case CircuitState.Open or CircuitState.HalfOpen:
                    _consecutiveOpenings = Math.Max(1, _consecutiveOpenings);
                    _currentCooldown = CooldownFor(_consecutiveOpenings);
                    _openedAt = snapshot.OpenedAt ?? now;
                    _openUntil = snapshot.State == CircuitState.HalfOpen ? now : snapshot.OpenUntil ?? now;
                    _health.Restore_NeedsLock(Math.Max(0, snapshot.ConsecutiveFailures));
                    return SetState_NeedsLock(CircuitState.Open, CircuitTransitionReason.Restored);
                case CircuitState.Isolated:
                    _openedAt = snapshot.OpenedAt ?? now;
                    _health.Restore_NeedsLock(null);
                    return SetState_NeedsLock(CircuitState.Isolated, CircuitTransitionReason.Restored);
                default:
                    _openedAt = null;
                    _currentCooldown = _options.Cooldown;
                    _health.Restore_NeedsLock(Math.Clamp(snapshot.ConsecutiveFailures, 0, _options.FailureThreshold - 1));
                    return SetState_NeedsLock(CircuitState.Closed, CircuitTransitionReason.Restored);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // The cooldown after the given number of openings in a row: Cooldown * CooldownGrowthFactor^(openings - 1), capped.
    private TimeSpan CooldownFor(int openings)
    {
        if (_options.CooldownGrowthFactor <= 1 || openings <= 1)
        {
            return _options.Cooldown;
        }

        var ticks = _options.Cooldown.Ticks * Math.Pow(_options.CooldownGrowthFactor, openings - 1);
        return ticks >= _options.MaxCooldown.Ticks ? _options.MaxCooldown : TimeSpan.FromTicks((long)ticks);
    }

    private void StartProbeRound_NeedsLock(DateTimeOffset now)
    {
        _halfOpenAdmitted = 1;
        _halfOpenSuccesses = 0;
        _halfOpenUntil = now + _currentCooldown;
        _probeGeneration = CircuitProbe.GenerationOf(_openUntil, now, _currentCooldown);
    }

    private CircuitTransition Open_NeedsLock(DateTimeOffset now, CircuitTransitionReason reason)
    {
        _consecutiveOpenings++;
        _currentCooldown = CooldownFor(_consecutiveOpenings);
        _openedAt = now;
        _openUntil = now + _currentCooldown;
        _halfOpenAdmitted = 0;
        _halfOpenSuccesses = 0;
        return SetState_NeedsLock(CircuitState.Open, reason);
    }

    private CircuitTransition Close_NeedsLock(CircuitTransitionReason reason)
    {
        _health.Reset_NeedsLock();
        _consecutiveOpenings = 0;
        _currentCooldown = _options.Cooldown;
        _openedAt = null;
        _halfOpenAdmitted = 0;
        _halfOpenSuccesses = 0;
        return SetState_NeedsLock(CircuitState.Closed, reason);
    }

    private CircuitTransition SetState_NeedsLock(CircuitState newState, CircuitTransitionReason reason)
    {
        var old = (CircuitState)_state;
        _state = (int)newState;
        return new CircuitTransition(old, newState, reason, _lastException, _currentCooldown);
    }

    // Redacted once per failure, when a status or snapshot first asks (not on the failure path): it is shown and stored.
    private string? LastError_NeedsLock() =>
        _lastError ??= _lastException is null ? null : SecretRedactor.RedactText($"{_lastException.GetType().Name}: {_lastException.Message}");
}
