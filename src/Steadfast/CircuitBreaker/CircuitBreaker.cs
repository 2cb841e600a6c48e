using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

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
    private readonly CircuitStateMachine _machine;
    private readonly CircuitBreakerTelemetry _telemetry;
    private readonly CircuitBreakerOptions _options;
    private readonly Func<Exception, bool>? _shouldHandle;
    private SharedProbeAdmission? _sharedProbes;

    /// <summary>Creates a closed circuit breaker.</summary>
    /// <param name="name">
    /// The circuit's name, used in exceptions, logs, metrics and persistence (for example the service it guards).
    /// Required: it is the circuit's identity, the key its snapshots are stored and restored under.
    /// </param>
    /// <param name="options">The configuration; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <param name="timeProvider">The clock; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger of transitions and subscriber failures; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or an option is out of range (the message names it).</exception>
    public CircuitBreaker(string name, CircuitBreakerOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _options = options?.Clone() ?? new CircuitBreakerOptions();
        _options.Validate();
        Name = name;
        _shouldHandle = _options.ShouldHandle;
        var time = timeProvider ?? TimeProvider.System;
        ILogger logger = loggerFactory.CreateRedactingLogger<CircuitBreaker>();
        _telemetry = new CircuitBreakerTelemetry(name, time, logger);

        // The mode is chosen here, once: no call asks which mode it is in.
        ICircuitHealth health = _options.Mode == CircuitBreakerMode.FailureRatio
            ? new FailureRatioHealth(_options, time)
            : new ConsecutiveFailureHealth(_options.FailureThreshold);
        _machine = new CircuitStateMachine(name, _options, health, time);
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
    public CircuitState State => _machine.State;

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
        // A closed circuit's admission is one volatile read: no await, nothing allocated.
        if (!_machine.IsClosed && await TryAcquireAsync(cancellationToken).ConfigureAwait(false) is { } rejection)
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
            OnFailure(ex, started, cancellationToken);
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
        // A closed circuit's admission is one volatile read: no await, nothing allocated.
        if (!_machine.IsClosed && await TryAcquireAsync(cancellationToken).ConfigureAwait(false) is { } rejection)
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
            OnFailure(ex, started, cancellationToken);
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
        // A closed circuit's admission is one volatile read: no await, nothing allocated.
        if (!_machine.IsClosed && await TryAcquireAsync(cancellationToken).ConfigureAwait(false) is { } rejection)
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
            if (!OnFailure(ex, started, cancellationToken))
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
        if (_machine.IsClosed)
        {
            rejection = null;
            return true;
        }

        return TryAcquireSlow(out rejection, out _);
    }

    /// <summary>
    /// <see cref="TryAcquire"/> that also asks a shared store's probe limit (<see cref="ICircuitProbeGate"/>, given by the
    /// <see cref="CircuitBreakerRegistry"/>) before it admits a half-open probe, so the machines sharing the circuit send at
    /// most <see cref="CircuitBreakerOptions.HalfOpenMaxCalls"/> probes in all. A closed circuit answers at once without
    /// allocating; only a half-open admission may wait for the store, and a store that cannot answer admits by the local limit.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the store's answer (the admission is then given back).</param>
    /// <returns><see langword="null"/> when the call is admitted (report its end as after <see cref="TryAcquire"/>); otherwise the rejection.</returns>
    public ValueTask<CircuitOpenException?> TryAcquireAsync(CancellationToken cancellationToken = default)
    {
        if (_machine.IsClosed)
        {
            return default;
        }

        if (!TryAcquireSlow(out var rejection, out var probe))
        {
            return new(rejection);
        }

        return probe.IsNone ? default : ConfirmProbeAsync(probe, cancellationToken);
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
        return OnFailure(exception, 0, cancellationToken);
    }

    /// <summary>
    /// Ends an admission from <see cref="TryAcquire"/> without an outcome (the call was abandoned or never started),
    /// so a half-open circuit can admit another probe in its place.
    /// </summary>
    public void ReleaseWithoutOutcome()
    {
        _telemetry.CountIgnored(0);
        _machine.ReleaseProbe();
    }

    /// <summary>Closes the circuit by hand and clears its failure counts (the last error stays visible in <see cref="GetStatus"/>).</summary>
    public void Reset() => Raise(_machine.Reset());

    /// <summary>Forces the circuit open until <see cref="Reset"/> is called; every call is refused meanwhile.</summary>
    public void Isolate() => Raise(_machine.Isolate());

    /// <summary>Returns a consistent view of the circuit's state.</summary>
    /// <returns>The status.</returns>
    public CircuitBreakerStatus GetStatus() => _machine.GetStatus();

    /// <summary>Returns the cumulative call counts.</summary>
    /// <returns>The metrics.</returns>
    public CircuitBreakerMetrics GetMetrics() => _telemetry.GetMetrics();

    /// <summary>Captures the persistable state (see <see cref="Restore"/>).</summary>
    /// <returns>The snapshot, with absolute UTC times.</returns>
    public CircuitBreakerSnapshot GetSnapshot() => _machine.GetSnapshot();

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

        Raise(_machine.Restore(snapshot));
    }

    /// <inheritdoc/>
    public override string ToString() => $"CircuitBreaker '{Name}' ({State})";

    /// <summary>Uses a shared store's probe limit for half-open probes admitted asynchronously (set once, before first use).</summary>
    internal void UseProbeGate(ICircuitProbeGate gate) => _sharedProbes = new SharedProbeAdmission(gate, Name, _options.HalfOpenMaxCalls, _machine, _telemetry);

    /// <summary>The engine's admission: <see cref="TryAcquire"/>, and the probe to confirm with <see cref="ConfirmProbeAsync"/> when it is not none.</summary>
    internal bool TryAcquireWithProbe([NotNullWhen(false)] out CircuitOpenException? rejection, out CircuitProbe probe)
    {
        probe = default;
        rejection = null;
        return _machine.IsClosed || TryAcquireSlow(out rejection, out probe);
    }

    /// <summary>Asks the shared probe limit for a probe admitted locally; a refusal gives the local admission back.</summary>
    /// <returns><see langword="null"/> when the probe may go; otherwise the rejection.</returns>
    internal ValueTask<CircuitOpenException?> ConfirmProbeAsync(CircuitProbe probe, CancellationToken cancellationToken)
        => _sharedProbes!.ConfirmAsync(probe, cancellationToken);

    /// <summary>Logs a user predicate that threw while judging an outcome of this circuit.</summary>
    internal void ReportPredicateFailure(Exception predicateError) => _telemetry.ReportPredicateFailure(predicateError);

    internal long StartTiming() => _telemetry.StartTiming();

    internal void OnSuccess(long started)
    {
        _telemetry.CountSuccess(started);
        if (!_machine.TryRecordClosedSuccess())
        {
            // Not closed: a probe success may close the circuit, which needs the lock.
            Raise(_machine.RecordSuccess());
        }
    }

    /// <returns><see langword="true"/> when the exception counted as a failure.</returns>
    internal bool OnFailure(Exception exception, long started, CancellationToken cancellationToken)
    {
        if (!HandledFailures.IsHandled(_shouldHandle, exception, _telemetry, cancellationToken))
        {
            _telemetry.CountIgnored(started);
            _machine.ReleaseProbe();
            return false;
        }

        OnHandledFailure(exception, null, started);
        return true;
    }

    /// <summary>Counts a failure that is a result rather than an exception (for example an HTTP 503 in a Polly pipeline).</summary>
    internal void OnFailedResult(string description, long started) => OnHandledFailure(null, description, started);

    private void OnHandledFailure(Exception? exception, string? description, long started)
    {
        _telemetry.CountFailure(exception, started);
        Raise(_machine.RecordFailure(exception, description));
    }

    // probe: a half-open probe the shared limit must confirm; none without a gate, so the local limit alone decides.
    private bool TryAcquireSlow([NotNullWhen(false)] out CircuitOpenException? rejection, out CircuitProbe probe)
    {
        if (_machine.TryAcquire(out var transition, out var refusal, out probe))
        {
            Raise(transition);
            rejection = null;
            probe = _sharedProbes is null ? default : probe;
            return true;
        }

        _telemetry.CountRejection(refusal.State);
        rejection = new CircuitOpenException(Name, refusal.State, refusal.RetryAfter, refusal.LastError);
        return false;
    }

    // Called once the state machine's lock is released: logs, metrics and handlers never run under it.
    private void Raise(in CircuitTransition t)
    {
        if (!t.IsChange)
        {
            return;
        }

        _telemetry.ReportTransition(t);
        var handlers = StateChanged;
        if (handlers is not null)
        {
            var args = new CircuitStateChangedEventArgs(Name, t.From, t.To, t.Reason, t.LastError);
            Subscribers.Raise(handlers, this, args, _telemetry.Logger, nameof(StateChanged));
        }
    }
}
