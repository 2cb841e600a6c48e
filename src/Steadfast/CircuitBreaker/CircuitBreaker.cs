using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// A circuit breaker: stops calling a service that keeps failing, fails fast with <see cref="CircuitOpenException"/>
/// while it is open, and lets a few probe calls through after a cooldown to find out whether the service recovered.
/// </summary>
/// <remarks>
/// <para>
/// Closed: calls flow; handled failures are counted (consecutively, or as a ratio over a sampling window, see
/// <see cref="CircuitBreakerOptions.Mode"/>). Open: every call is refused until the cooldown has elapsed; the next
/// call then moves the circuit to half-open. Half-open: at most <see cref="CircuitBreakerOptions.HalfOpenMaxCalls"/>
/// calls are admitted; <see cref="CircuitBreakerOptions.SuccessThreshold"/> successes close the circuit and any handled
/// failure opens it again (with a longer cooldown when <see cref="CircuitBreakerOptions.CooldownGrowthFactor"/> is above 1).
/// Isolated: refused until <see cref="Reset"/>.
/// </para>
/// <para>
/// Thread-safe. A closed circuit's success path takes no lock and allocates nothing; state transitions take the
/// circuit's one lock, and <see cref="StateChanged"/> is raised after the lock is released.
/// </para>
/// <para>
/// Two ways to use it: the <c>ExecuteAsync</c> methods wrap a delegate; or, for code that runs the operation itself
/// (an engine choosing among alternatives), ask <see cref="TryAcquire"/> before the call and report the outcome with
/// exactly one of <see cref="RecordSuccess"/>, <see cref="RecordFailure"/> or <see cref="ReleaseWithoutOutcome"/>.
/// </para>
/// </remarks>
public sealed class CircuitBreaker
{
    private const int ClosedState = (int)CircuitState.Closed;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CircuitBreakerOptions _options;
    private readonly Func<Exception, bool>? _shouldHandle;
    private readonly SamplingWindow? _window;

    // Read without the lock on every call; written only under the lock.
    private volatile int _state;

    // Reset without the lock by successes on the closed path; incremented under the lock by failures.
    private int _consecutiveFailures;

    private long _successes;
    private long _failures;
    private long _rejections;
    private long _ignored;

    // Guarded by _lock.
    private int _consecutiveOpenings;
    private TimeSpan _currentCooldown;
    private DateTimeOffset? _openedAt;
    private DateTimeOffset _openUntil;
    private DateTimeOffset _halfOpenUntil;
    private int _halfOpenAdmitted;
    private int _halfOpenSuccesses;
    private DateTimeOffset? _lastFailureAt;
    private Exception? _lastException;
    private string? _lastError;

    /// <summary>Creates a closed circuit breaker.</summary>
    /// <param name="name">The circuit's name, used in exceptions, logs, metrics and persistence (for example the service it guards).</param>
    /// <param name="options">The configuration; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where transitions and subscriber failures are logged; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or an option is out of range (the message names it).</exception>
    public CircuitBreaker(string name, CircuitBreakerOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _options = options?.Clone() ?? new CircuitBreakerOptions();
        _options.Validate();
        Name = name;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _shouldHandle = _options.ShouldHandle;
        _currentCooldown = _options.Cooldown;
        if (_options.Mode == CircuitBreakerMode.FailureRatio)
        {
            _window = new SamplingWindow(_options.SamplingDuration, _time);
        }
    }

    /// <summary>
    /// Raised after every state change, outside the circuit's lock. A subscriber that throws is logged and
    /// ignored; it never breaks a call. Handlers may run concurrently on different threads.
    /// </summary>
    public event EventHandler<CircuitStateChangedEventArgs>? StateChanged;

    /// <summary>The circuit's name.</summary>
    public string Name { get; }

    /// <summary>
    /// The current state. An open circuit whose cooldown has elapsed reads <see cref="CircuitState.Open"/> until the
    /// next call moves it to <see cref="CircuitState.HalfOpen"/>.
    /// </summary>
    public CircuitState State => (CircuitState)_state;

    /// <summary>A copy of the options this circuit was built with.</summary>
    public CircuitBreakerOptions Options => _options.Clone();

    /// <summary>Runs <paramref name="operation"/> through the circuit.</summary>
    /// <typeparam name="TResult">The operation's result type.</typeparam>
    /// <param name="operation">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation is never counted as a failure.</param>
    /// <returns>The operation's result.</returns>
    /// <exception cref="CircuitOpenException">The circuit refused the call without invoking the operation.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> ExecuteAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryAcquire(out var rejection))
        {
            throw rejection;
        }

        var started = StartTiming();
        TResult result;
        try
        {
            result = await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnFailure(ex, cancellationToken, started);
            throw;
        }

        OnSuccess(started);
        return result;
    }

    /// <summary>Runs <paramref name="operation"/> through the circuit.</summary>
    /// <param name="operation">The call to protect; it receives <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation is never counted as a failure.</param>
    /// <returns>A task that completes when the operation has.</returns>
    /// <exception cref="CircuitOpenException">The circuit refused the call without invoking the operation.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(Func<CancellationToken, ValueTask> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryAcquire(out var rejection))
        {
            throw rejection;
        }

        var started = StartTiming();
        try
        {
            await operation(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            OnFailure(ex, cancellationToken, started);
            throw;
        }

        OnSuccess(started);
    }

    /// <summary>
    /// Runs <paramref name="operation"/> through the circuit and answers with <paramref name="fallback"/> when the
    /// circuit refuses the call or the call fails with a handled exception. Exceptions the circuit does not handle
    /// and the caller's cancellation still propagate.
    /// </summary>
    /// <typeparam name="TResult">The operation's result type.</typeparam>
    /// <param name="operation">The call to protect.</param>
    /// <param name="fallback">
    /// Produces the answer instead; it receives the <see cref="CircuitOpenException"/> or the handled failure.
    /// </param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The operation's result, or the fallback's.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> ExecuteAsync<TResult>(
        Func<CancellationToken, ValueTask<TResult>> operation,
        Func<Exception, CancellationToken, ValueTask<TResult>> fallback,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(fallback);
        cancellationToken.ThrowIfCancellationRequested();
        if (!TryAcquire(out var rejection))
        {
            return await fallback(rejection, cancellationToken).ConfigureAwait(false);
        }

        var started = StartTiming();
        Exception failure;
        try
        {
            var result = await operation(cancellationToken).ConfigureAwait(false);
            OnSuccess(started);
            return result;
        }
        catch (Exception ex)
        {
            if (!OnFailure(ex, cancellationToken, started))
            {
                throw;
            }

            failure = ex;
        }

        return await fallback(failure, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks whether a call may go through now, without running anything: the low-level admission for code that runs
    /// the operation itself. When it returns <see langword="true"/> the caller owns one admission and must report its
    /// end with exactly one of <see cref="RecordSuccess"/>, <see cref="RecordFailure"/> or <see cref="ReleaseWithoutOutcome"/>
    /// (a half-open circuit otherwise keeps the probe slot until the probe round times out after one cooldown).
    /// </summary>
    /// <param name="rejection">
    /// When refused: the <see cref="CircuitOpenException"/> to throw or to record (counted in <see cref="CircuitBreakerMetrics.Rejections"/>).
    /// </param>
    /// <returns><see langword="true"/> when the call is admitted.</returns>
    public bool TryAcquire([NotNullWhen(false)] out CircuitOpenException? rejection)
    {
        if (_state == ClosedState)
        {
            rejection = null;
            return true;
        }

        return TryAcquireSlow(out rejection);
    }

    /// <summary>Reports that a call admitted by <see cref="TryAcquire"/> succeeded.</summary>
    public void RecordSuccess() => OnSuccess(0);

    /// <summary>
    /// Reports that a call admitted by <see cref="TryAcquire"/> threw. The exception counts as a failure unless it is
    /// the caller's cancellation (an <see cref="OperationCanceledException"/> while <paramref name="cancellationToken"/>
    /// is cancelled) or <see cref="CircuitBreakerOptions.ShouldHandle"/> declines it; uncounted outcomes free their admission.
    /// </summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="cancellationToken">The caller's token, to tell its cancellation from a failure.</param>
    /// <returns><see langword="true"/> when the exception counted as a failure.</returns>
    public bool RecordFailure(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return OnFailure(exception, cancellationToken, 0);
    }

    /// <summary>
    /// Ends an admission from <see cref="TryAcquire"/> without an outcome (the call was abandoned or never started),
    /// so a half-open circuit can admit another probe in its place.
    /// </summary>
    public void ReleaseWithoutOutcome()
    {
        Interlocked.Increment(ref _ignored);
        CircuitBreakerTelemetry.RecordOutcome(Name, CircuitBreakerTelemetry.OutcomeIgnored);
        ReleaseHalfOpenSlot();
    }

    /// <summary>Closes the circuit by hand and clears its failure counts (the last error stays visible in <see cref="GetStatus"/>).</summary>
    public void Reset()
    {
        Transition t;
        lock (_lock)
        {
            t = Close_NeedsLock(CircuitTransitionReason.ManualReset);
        }

        Raise(t);
    }

    /// <summary>Forces the circuit open until <see cref="Reset"/> is called; every call is refused meanwhile.</summary>
    public void Isolate()
    {
        Transition t;
        lock (_lock)
        {
            _openedAt = _time.GetUtcNow();
            t = SetState_NeedsLock(CircuitState.Isolated, CircuitTransitionReason.ManualIsolation);
        }

        Raise(t);
    }

    /// <summary>Returns a consistent view of the circuit's state.</summary>
    /// <returns>The status.</returns>
    public CircuitBreakerStatus GetStatus()
    {
        var windowFailures = _window?.Totals().Failures;
        lock (_lock)
        {
            var state = (CircuitState)_state;
            var now = _time.GetUtcNow();
            return new CircuitBreakerStatus
            {
                Name = Name,
                State = state,
                FailureCount = windowFailures ?? Volatile.Read(ref _consecutiveFailures),
                LastFailureAt = _lastFailureAt,
                LastError = LastError_NeedsLock(),
                OpenedAt = state == CircuitState.Closed ? null : _openedAt,
                RetryAfter = state == CircuitState.Open ? Max(_openUntil - now, TimeSpan.Zero) : null,
                ConsecutiveOpenings = _consecutiveOpenings,
            };
        }
    }

    /// <summary>Returns the cumulative call counts.</summary>
    /// <returns>The metrics.</returns>
    public CircuitBreakerMetrics GetMetrics() => new()
    {
        Successes = Interlocked.Read(ref _successes),
        Failures = Interlocked.Read(ref _failures),
        Rejections = Interlocked.Read(ref _rejections),
        Ignored = Interlocked.Read(ref _ignored),
    };

    /// <summary>Captures the persistable state (see <see cref="Restore"/>).</summary>
    /// <returns>The snapshot, with absolute UTC times.</returns>
    public CircuitBreakerSnapshot GetSnapshot()
    {
        lock (_lock)
        {
            var state = (CircuitState)_state;
            return new CircuitBreakerSnapshot
            {
                Name = Name,
                State = state,
                ConsecutiveFailures = Volatile.Read(ref _consecutiveFailures),
                OpenedAt = state == CircuitState.Closed ? null : _openedAt,
                OpenUntil = state switch
                {
                    CircuitState.Open => _openUntil,
                    CircuitState.HalfOpen => _openUntil,
                    _ => null,
                },
                ConsecutiveOpenings = _consecutiveOpenings,
                LastFailureAt = _lastFailureAt,
                LastError = LastError_NeedsLock(),
                SavedAt = _time.GetUtcNow(),
            };
        }
    }

    /// <summary>
    /// Applies a snapshot taken by <see cref="GetSnapshot"/>, for example after a restart. An open circuit stays open
    /// until the snapshot's <see cref="CircuitBreakerSnapshot.OpenUntil"/>; a half-open one comes back open with its
    /// cooldown elapsed, so the next call probes it (its probes in flight died with the old process).
    /// Raises <see cref="StateChanged"/> with <see cref="CircuitTransitionReason.Restored"/> when the state changes.
    /// </summary>
    /// <param name="snapshot">The snapshot; its name must be this circuit's name.</param>
    /// <exception cref="ArgumentException">The snapshot belongs to another circuit.</exception>
    public void Restore(CircuitBreakerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!string.Equals(snapshot.Name, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The snapshot belongs to circuit '{snapshot.Name}', not to '{Name}'.", nameof(snapshot));
        }

        Transition t;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _lastFailureAt = snapshot.LastFailureAt;
            _lastError = snapshot.LastError;
            _lastException = null;
            _consecutiveOpenings = Math.Max(0, snapshot.ConsecutiveOpenings);
            _halfOpenAdmitted = 0;
            _halfOpenSuccesses = 0;
            _window?.Clear();
            switch (snapshot.State)
            {
                case CircuitState.Open or CircuitState.HalfOpen:
                    _consecutiveOpenings = Math.Max(1, _consecutiveOpenings);
                    _currentCooldown = CooldownFor(_consecutiveOpenings);
                    _openedAt = snapshot.OpenedAt ?? now;
                    _openUntil = snapshot.State == CircuitState.HalfOpen ? now : snapshot.OpenUntil ?? now;
                    Volatile.Write(ref _consecutiveFailures, Math.Max(0, snapshot.ConsecutiveFailures));
                    t = SetState_NeedsLock(CircuitState.Open, CircuitTransitionReason.Restored);
                    break;
                case CircuitState.Isolated:
                    _openedAt = snapshot.OpenedAt ?? now;
                    t = SetState_NeedsLock(CircuitState.Isolated, CircuitTransitionReason.Restored);
                    break;
                default:
                    _openedAt = null;
                    _currentCooldown = _options.Cooldown;
                    Volatile.Write(ref _consecutiveFailures, Math.Clamp(snapshot.ConsecutiveFailures, 0, _options.FailureThreshold - 1));
                    t = SetState_NeedsLock(CircuitState.Closed, CircuitTransitionReason.Restored);
                    break;
            }
        }

        Raise(t);
    }

    /// <inheritdoc/>
    public override string ToString() => $"CircuitBreaker '{Name}' ({State})";

    /// <summary>Logs a user predicate that threw while judging an outcome of this circuit.</summary>
    internal void ReportPredicateFailure(Exception predicateError) => Log.CircuitShouldHandleFailed(_logger, Name, predicateError);

    internal long StartTiming() => CircuitBreakerTelemetry.AttemptDuration.Enabled ? _time.GetTimestamp() : 0;

    internal void OnSuccess(long started)
    {
        Interlocked.Increment(ref _successes);
        if (_state == ClosedState)
        {
            if (_window is not null)
            {
                _window.RecordSuccess();
            }
            else if (Volatile.Read(ref _consecutiveFailures) != 0)
            {
                // Only write when needed: an unconditional write would bounce the cache line between cores on every call.
                Volatile.Write(ref _consecutiveFailures, 0);
            }
        }
        else
        {
            OnSuccessSlow();
        }

        RecordCallTelemetry(CircuitBreakerTelemetry.OutcomeSuccess, started);
    }

    /// <returns><see langword="true"/> when the exception counted as a failure.</returns>
    internal bool OnFailure(Exception exception, CancellationToken cancellationToken, long started)
    {
        if (!IsHandled(exception, cancellationToken))
        {
            Interlocked.Increment(ref _ignored);
            ReleaseHalfOpenSlot();
            RecordCallTelemetry(CircuitBreakerTelemetry.OutcomeIgnored, started);
            return false;
        }

        OnHandledFailure(exception, null, started);
        return true;
    }

    /// <summary>Counts a failure that is a result rather than an exception (for example an HTTP 503 in a Polly pipeline).</summary>
    internal void OnFailedResult(string description, long started) => OnHandledFailure(null, description, started);

    private void OnHandledFailure(Exception? exception, string? description, long started)
    {
        Interlocked.Increment(ref _failures);
        _window?.RecordFailure();
        Transition t = default;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _lastFailureAt = now;
            _lastException = exception;
            _lastError = description;
            switch ((CircuitState)_state)
            {
                case CircuitState.Closed when _window is null:
                    if (Interlocked.Increment(ref _consecutiveFailures) >= _options.FailureThreshold)
                    {
                        t = Open_NeedsLock(now, CircuitTransitionReason.FailureThresholdReached);
                    }

                    break;
                case CircuitState.Closed:
                    var (successes, failures) = _window.Totals();
                    var total = successes + failures;
                    if (total >= _options.MinimumThroughput && failures >= _options.FailureRatio * total)
                    {
                        t = Open_NeedsLock(now, CircuitTransitionReason.FailureRatioReached);
                    }

                    break;
                case CircuitState.HalfOpen:
                    Interlocked.Increment(ref _consecutiveFailures);
                    t = Open_NeedsLock(now, CircuitTransitionReason.ProbeFailed);
                    break;
                default:
                    // Open or isolated: a call admitted before the circuit opened ended late; nothing more to decide.
                    break;
            }
        }

        CircuitBreakerTelemetry.RecordFailure(Name, exception);
        RecordCallTelemetry(CircuitBreakerTelemetry.OutcomeFailure, started);
        Raise(t);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private bool TryAcquireSlow([NotNullWhen(false)] out CircuitOpenException? rejection)
    {
        Transition t = default;
        CircuitState refusedIn;
        TimeSpan? retryAfter;
        Exception? lastError;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            refusedIn = (CircuitState)_state;
            switch (refusedIn)
            {
                case CircuitState.Closed:
                    rejection = null;
                    return true;

                case CircuitState.Open when now >= _openUntil:
                    _halfOpenAdmitted = 1;
                    _halfOpenSuccesses = 0;
                    _halfOpenUntil = now + _currentCooldown;
                    t = SetState_NeedsLock(CircuitState.HalfOpen, CircuitTransitionReason.CooldownElapsed);
                    break;

                case CircuitState.Open:
                    retryAfter = _openUntil - now;
                    lastError = _lastException;
                    goto Refuse;

                case CircuitState.HalfOpen when _halfOpenAdmitted < _options.HalfOpenMaxCalls:
                    _halfOpenAdmitted++;
                    break;

                case CircuitState.HalfOpen when now >= _halfOpenUntil:
                    // The previous probes never reported back within a cooldown: start a fresh round rather than stay stuck.
                    _halfOpenAdmitted = 1;
                    _halfOpenSuccesses = 0;
                    _halfOpenUntil = now + _currentCooldown;
                    break;

                case CircuitState.HalfOpen:
                    retryAfter = _halfOpenUntil - now;
                    lastError = _lastException;
                    goto Refuse;

                default:
                    retryAfter = null;
                    lastError = _lastException;
                    goto Refuse;
            }
        }

        Raise(t);
        rejection = null;
        return true;

    Refuse:
        Interlocked.Increment(ref _rejections);
        CircuitBreakerTelemetry.RecordRejection(Name, refusedIn);
        Log.CircuitRejectedCall(_logger, Name, refusedIn);
        rejection = new CircuitOpenException(Name, refusedIn, retryAfter, lastError);
        return false;
    }

    private void OnSuccessSlow()
    {
        Transition t = default;
        lock (_lock)
        {
            switch ((CircuitState)_state)
            {
                case CircuitState.Closed:
                    if (_window is null)
                    {
                        Volatile.Write(ref _consecutiveFailures, 0);
                    }
                    else
                    {
                        _window.RecordSuccess();
                    }

                    break;
                case CircuitState.HalfOpen:
                    if (++_halfOpenSuccesses >= _options.SuccessThreshold)
                    {
                        t = Close_NeedsLock(CircuitTransitionReason.ProbesSucceeded);
                    }

                    break;
                default:
                    // Open or isolated: a call admitted before the circuit opened ended late; it proves nothing now.
                    break;
            }
        }

        Raise(t);
    }

    private void ReleaseHalfOpenSlot()
    {
        if (_state != (int)CircuitState.HalfOpen)
        {
            return;
        }

        lock (_lock)
        {
            if (_state == (int)CircuitState.HalfOpen && _halfOpenAdmitted > _halfOpenSuccesses)
            {
                _halfOpenAdmitted--;
            }
        }
    }

    private bool IsHandled(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (_shouldHandle is null)
        {
            return true;
        }

        try
        {
            return _shouldHandle(exception);
        }
#pragma warning disable CA1031 // A faulty predicate must not replace the operation's exception; count it and log.
        catch (Exception predicateError)
#pragma warning restore CA1031
        {
            ReportPredicateFailure(predicateError);
            return true;
        }
    }

    private void RecordCallTelemetry(string outcome, long started)
    {
        CircuitBreakerTelemetry.RecordOutcome(Name, outcome);
        if (started != 0 && CircuitBreakerTelemetry.AttemptDuration.Enabled)
        {
            CircuitBreakerTelemetry.RecordDuration(Name, _time.GetElapsedTime(started), outcome);
        }
    }

    private TimeSpan CooldownFor(int openings)
    {
        if (_options.CooldownGrowthFactor <= 1 || openings <= 1)
        {
            return _options.Cooldown;
        }

        var ticks = _options.Cooldown.Ticks * Math.Pow(_options.CooldownGrowthFactor, openings - 1);
        return ticks >= _options.MaxCooldown.Ticks ? _options.MaxCooldown : TimeSpan.FromTicks((long)ticks);
    }

    private Transition Open_NeedsLock(DateTimeOffset now, CircuitTransitionReason reason)
    {
        _consecutiveOpenings++;
        _currentCooldown = CooldownFor(_consecutiveOpenings);
        _openedAt = now;
        _openUntil = now + _currentCooldown;
        _halfOpenAdmitted = 0;
        _halfOpenSuccesses = 0;
        return SetState_NeedsLock(CircuitState.Open, reason);
    }

    private Transition Close_NeedsLock(CircuitTransitionReason reason)
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        _consecutiveOpenings = 0;
        _currentCooldown = _options.Cooldown;
        _openedAt = null;
        _halfOpenAdmitted = 0;
        _halfOpenSuccesses = 0;
        _window?.Clear();
        return SetState_NeedsLock(CircuitState.Closed, reason);
    }

    private Transition SetState_NeedsLock(CircuitState newState, CircuitTransitionReason reason)
    {
        var old = (CircuitState)_state;
        _state = (int)newState;
        return new Transition(old, newState, reason, _lastException, _currentCooldown);
    }

    private string? LastError_NeedsLock() =>
        _lastError ??= _lastException is null ? null : $"{_lastException.GetType().Name}: {_lastException.Message}";

    private void Raise(in Transition t)
    {
        if (t.From == t.To)
        {
            return;
        }

        if (t.To == CircuitState.Open)
        {
            Log.CircuitOpened(_logger, Name, t.From, t.To, t.Reason, t.Cooldown, t.LastError);
        }
        else
        {
            Log.CircuitStateChanged(_logger, Name, t.From, t.To, t.Reason);
        }

        CircuitBreakerTelemetry.RecordTransition(Name, t.From, t.To, t.Reason);

        var handlers = StateChanged;
        if (handlers is null)
        {
            return;
        }

        var args = new CircuitStateChangedEventArgs(Name, t.From, t.To, t.Reason, t.LastError);
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<CircuitStateChangedEventArgs>)handler)(this, args);
            }
#pragma warning disable CA1031 // A subscriber's exception never breaks an execution: catch, log, continue.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberFailed(_logger, nameof(StateChanged), ex);
            }
        }
    }

    private readonly record struct Transition(CircuitState From, CircuitState To, CircuitTransitionReason Reason, Exception? LastError, TimeSpan Cooldown);
}
