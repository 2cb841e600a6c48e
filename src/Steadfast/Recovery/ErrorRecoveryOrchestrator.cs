using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Steadfast.Recovery.Tracking;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Decides how to recover from each error (seed 003): by severity and by recurring patterns, carries out circuit
/// breaking and operator alerts itself, and publishes every decision on the event bus.
/// </summary>
/// <remarks>
/// <para>
/// Base actions by severity: Low → Retry; Medium → Retry + Fallback; High → CircuitBreak + Fallback; Critical and
/// Fatal → FullRecovery + Alert. When a pattern (component + error type) has occurred more than
/// <see cref="RecoveryOptions.PatternEscalationThreshold"/> times within <see cref="RecoveryOptions.PatternWindow"/>, the
/// decision escalates one level (Fatal is the top) and says so in <see cref="RecoveryDecision.Reason"/>.
/// </para>
/// <para>
/// CircuitBreak opens the component's registered circuit for its cooldown (it is then probed as usual); Alert publishes
/// an <see cref="OperatorAlert"/>, at most one per component per <see cref="RecoveryOptions.AlertThrottle"/> (the ones in
/// between are counted), and a "recovered" alert when the component's circuit closes, its health component turns
/// Healthy again, or <see cref="ReportRecoveredAsync"/> is called. Retry, Fallback and FullRecovery are the caller's
/// to carry out; subscribers hear of every action through <see cref="RecoveryActionTaken"/>.
/// </para>
/// <para>
/// Events: <see cref="ErrorRecorded"/> per error, <see cref="RecoveryActionTaken"/> per action, <see cref="OperatorAlert"/>,
/// and <see cref="CircuitStateChanged"/> per transition of a registered circuit. The history is bounded
/// (<see cref="RecoveryOptions.MaxErrorHistory"/>); the background analysis (<see cref="StartAsync"/>) cleans up patterns
/// older than their window and logs components with a rising error count.
/// </para>
/// </remarks>
public sealed class ErrorRecoveryOrchestrator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CircuitBreaker> _circuits = new(StringComparer.Ordinal);
    private readonly List<Action> _detach = [];
    private readonly IEventBus _eventBus;
    private readonly RecoveryOptions _options;
    private readonly HealthMonitor? _monitor;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly ErrorLedger _ledger;
    private readonly AlertThrottle _alerts;
    private readonly Lock _lock = new();
    private CancellationTokenSource? _stop;
    private Task _analysis = Task.CompletedTask;
    private long _lastAnalysisTicks = -1;

    /// <summary>Creates an orchestrator.</summary>
    /// <param name="eventBus">Receives every decision, alert and circuit transition.</param>
    /// <param name="options">The configuration; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <param name="timeProvider">The clock of windows, throttles and the analysis; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger of decisions and alerts; <see langword="null"/> logs nothing.</param>
    public ErrorRecoveryOrchestrator(IEventBus eventBus, RecoveryOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(eventBus, options, null, timeProvider, loggerFactory)
    {
    }

    /// <summary>Creates an orchestrator that also hears from a health monitor when components are healthy again.</summary>
    /// <param name="eventBus">Receives every decision, alert and circuit transition.</param>
    /// <param name="options">The configuration; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <param name="monitor">A component turning Healthy sends its "recovered" alert; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock of windows, throttles and the analysis; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger of decisions and alerts; <see langword="null"/> logs nothing.</param>
    public ErrorRecoveryOrchestrator(IEventBus eventBus, RecoveryOptions? options, HealthMonitor? monitor, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(eventBus);
        _options = options?.Clone() ?? new RecoveryOptions();
        _options.Validate();
        _eventBus = eventBus;
        _time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateRedactingLogger<ErrorRecoveryOrchestrator>();
        _ledger = new ErrorLedger(_options);
        _alerts = new AlertThrottle(_options.AlertThrottle);
        _monitor = monitor;
        if (monitor is not null)
        {
            monitor.StatusChanged += OnHealthChanged;
        }
    }

    /// <summary>A copy of the options this orchestrator was built with.</summary>
    public RecoveryOptions Options => _options.Clone();

    /// <summary>Creates (or returns the already registered) circuit of a component; its transitions are published and it is opened by CircuitBreak decisions.</summary>
    /// <param name="component">The component's name (the circuit's name).</param>
    /// <param name="options">The circuit's options; <see langword="null"/> uses the defaults. Ignored when the circuit exists.</param>
    /// <returns>The component's circuit.</returns>
    public CircuitBreaker RegisterCircuitBreaker(string component, CircuitBreakerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        if (_circuits.TryGetValue(component, out var existing))
        {
            return existing;
        }

        return RegisterCircuitBreaker(new CircuitBreaker(component, options, _time, _loggerFactory));
    }

    /// <summary>Registers an existing circuit (for example one of the engine's registry) under its name.</summary>
    /// <param name="circuit">The circuit.</param>
    /// <returns>The circuit registered under that name (the given one, or the one registered before).</returns>
    public CircuitBreaker RegisterCircuitBreaker(CircuitBreaker circuit)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var registered = _circuits.GetOrAdd(circuit.Name, circuit);
        if (ReferenceEquals(registered, circuit))
        {
            EventHandler<CircuitStateChangedEventArgs> handler = OnCircuitChanged;
            circuit.StateChanged += handler;
            lock (_lock)
            {
                _detach.Add(() => circuit.StateChanged -= handler);
            }
        }

        return registered;
    }

    /// <summary>Records an error, decides the recovery actions, carries out CircuitBreak and Alert, and publishes it all.</summary>
    /// <param name="error">The error.</param>
    /// <param name="cancellationToken">Cancels waiting to queue the events.</param>
    /// <returns>The decision.</returns>
    public async Task<RecoveryDecision> HandleErrorAsync(ErrorContext error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = _time.GetUtcNow();
        var message = SecretRedactor.RedactText(error.Exception.Message);
        var recorded = new ErrorRecorded(error.Component, error.Operation, error.ErrorType, message, error.Severity, now);
        var count = _ledger.Record(recorded);

        var severity = error.Severity;
        var escalated = count > _options.PatternEscalationThreshold && severity != ErrorSeverity.Fatal;
        if (escalated)
        {
            severity = SeverityRules.Escalate(severity);
            Log.RecoveryEscalated(_logger, error.Component, error.ErrorType, count, _options.PatternWindow, severity);
        }

        var actions = SeverityRules.ActionsFor(severity);
        var reason = escalated
            ? string.Create(CultureInfo.InvariantCulture, $"{error.ErrorType} in '{error.Component}' recurred {count} times within {_options.PatternWindow} (more than {_options.PatternEscalationThreshold}): escalated from {error.Severity} to {severity}")
            : string.Create(CultureInfo.InvariantCulture, $"{severity} error: the base actions of {severity}");

        if ((actions & RecoveryAction.CircuitBreak) != 0)
        {
            BreakCircuit(error.Component, message, now);
        }

        var alertSent = false;
        OperatorAlert? alert = null;
        if ((actions & RecoveryAction.Alert) != 0 && _alerts.TryAlert(error.Component, severity, now, out var suppressed))
        {
            alertSent = true;
            alert = new OperatorAlert(error.Component, OperatorAlertKind.Problem, severity, $"{severity} error in '{error.Component}' ({error.Operation}): {error.ErrorType}: {message}", now, suppressed);
            Log.OperatorAlerted(_logger, alert.Component, alert.Kind, alert.Message);
        }

        Log.RecoveryDecided(_logger, error.Component, error.ErrorType, severity, actions, reason);
        await EventPublishing.PublishAsync(_eventBus, recorded, _logger, cancellationToken).ConfigureAwait(false);
        foreach (var action in Enum.GetValues<RecoveryAction>())
        {
            if (action != RecoveryAction.None && (actions & action) != 0)
            {
                await EventPublishing.PublishAsync(_eventBus, new RecoveryActionTaken(error.Component, error.Operation, action, severity, escalated, reason, now), _logger, cancellationToken).ConfigureAwait(false);
            }
        }

        if (alert is not null)
        {
            await EventPublishing.PublishAsync(_eventBus, alert, _logger, cancellationToken).ConfigureAwait(false);
        }

        return new RecoveryDecision(actions, escalated, reason, severity, count, alertSent);
    }

    /// <summary>Reports that a component is healthy again: if it was alerted about, a "recovered" <see cref="OperatorAlert"/> is published.</summary>
    /// <param name="component">The component.</param>
    /// <param name="cancellationToken">Cancels waiting to queue the alert.</param>
    /// <returns><see langword="true"/> if a recovered alert was published.</returns>
    public async Task<bool> ReportRecoveredAsync(string component, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        if (RecoveredAlert(component) is not { } alert)
        {
            return false;
        }

        await EventPublishing.PublishAsync(_eventBus, alert, _logger, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A snapshot: errors by severity and component, patterns in the window, circuits, components in alert.</summary>
    /// <returns>The status.</returns>
    public RecoverySystemStatus GetStatus()
    {
        var now = _time.GetUtcNow();
        var (total, bySeverity, byComponent, patterns, recent, historyCount) = _ledger.Snapshot(now, RecoveryConstants.StatusRecentErrors);
        var circuits = _circuits.ToDictionary(c => c.Key, c => c.Value.State, StringComparer.Ordinal);
        var ticks = Interlocked.Read(ref _lastAnalysisTicks);
        return new RecoverySystemStatus(total, bySeverity, byComponent, patterns, circuits, _alerts.InAlert(), recent, historyCount,
            ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    /// <summary>Starts the background analysis: every <see cref="RecoveryOptions.AnalysisInterval"/>, old patterns are cleaned up and rising error counts logged. Calling it again does nothing.</summary>
    /// <param name="cancellationToken">Cancels starting (not the analysis: <see cref="DisposeAsync"/> stops it).</param>
    /// <returns>A completed task: the analysis runs in the background.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_stop is null)
            {
                _stop = new CancellationTokenSource();
                var token = _stop.Token;
                _analysis = Task.Run(() => AnalyzePeriodicallyAsync(token), CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs the analysis once now: cleans up patterns older than their window and logs components with many errors in it.</summary>
    public void AnalyzeNow()
    {
        var now = _time.GetUtcNow();
        foreach (var (component, count) in _ledger.Cleanup(now))
        {
            if (count > _options.PatternEscalationThreshold)
            {
                Log.ErrorTrend(_logger, component, count, _options.PatternWindow);
            }
        }

        Interlocked.Exchange(ref _lastAnalysisTicks, now.UtcTicks);
    }

    /// <summary>Stops the background analysis and detaches from circuits and the monitor. Idempotent.</summary>
    /// <returns>A task that completes when the analysis has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        CancellationTokenSource? stop;
        List<Action> detach;
        lock (_lock)
        {
            stop = _stop;
            _stop = null;
            detach = [.. _detach];
            _detach.Clear();
        }

        detach.ForEach(d => d());
        if (_monitor is not null)
        {
            _monitor.StatusChanged -= OnHealthChanged;
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await _analysis.ConfigureAwait(false);
            stop.Dispose();
        }
    }

    internal int PatternCount => _ledger.PatternCount;

    /// <summary>Called after each background analysis (tests wait on it instead of polling).</summary>
    internal Action? AnalysisCompleted { get; set; }

    private void BreakCircuit(string component, string message, DateTimeOffset now)
    {
        if (!_circuits.TryGetValue(component, out var circuit) || circuit.State != CircuitState.Closed)
        {
            return;
        }

        // Opened through a snapshot so the circuit runs its own cooldown and probes afterwards, as after any opening.
        var snapshot = circuit.GetSnapshot();
        circuit.Restore(snapshot with
        {
            State = CircuitState.Open,
            OpenedAt = now,
            OpenUntil = now + circuit.Options.Cooldown,
            LastFailureAt = now,
            LastError = message,
            ConsecutiveOpenings = snapshot.ConsecutiveOpenings + 1,
        });
    }

    private OperatorAlert? RecoveredAlert(string component)
    {
        if (!_alerts.TryRecover(component, out var severity))
        {
            return null;
        }

        var alert = new OperatorAlert(component, OperatorAlertKind.Recovered, severity, $"'{component}' is healthy again", _time.GetUtcNow(), 0);
        Log.OperatorAlerted(_logger, component, alert.Kind, alert.Message);
        return alert;
    }

    private void OnCircuitChanged(object? sender, CircuitStateChangedEventArgs e)
    {
        EventPublishing.Fire(_eventBus, new CircuitStateChanged(e.CircuitName, e.OldState, e.NewState, e.Reason, _time.GetUtcNow()), _logger);
        if (e.NewState == CircuitState.Closed && RecoveredAlert(e.CircuitName) is { } alert)
        {
            EventPublishing.Fire(_eventBus, alert, _logger);
        }
    }

    private void OnHealthChanged(object? sender, ComponentStatusChangedEventArgs e)
    {
        if (e.Current == HealthStatus.Healthy && RecoveredAlert(e.Component) is { } alert)
        {
            EventPublishing.Fire(_eventBus, alert, _logger);
        }
    }

    private async Task AnalyzePeriodicallyAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.AnalysisInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    AnalyzeNow();
                    AnalysisCompleted?.Invoke();
                }
#pragma warning disable CA1031 // One failed analysis must not end the background analysis; it runs again next interval.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.RecoveryAnalysisFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
