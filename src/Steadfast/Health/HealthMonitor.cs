using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Steadfast.Health.Monitoring;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Watches the components a system depends on: checks each periodically (<see cref="StartAsync"/>) and on demand
/// (<see cref="CheckNowAsync"/>), turns check results into a status with hysteresis, and reports changes
/// (<see cref="StatusChanged"/>, and <see cref="ComponentHealthChanged"/> on the event bus).
/// </summary>
/// <remarks>
/// <para>
/// Status rules (<see cref="HealthMonitorOptions"/>): the first failed check makes a Healthy component Degraded,
/// <see cref="HealthMonitorOptions.UnhealthyAfter"/> failed checks in a row make it Unhealthy, and
/// <see cref="HealthMonitorOptions.HealthyAfter"/> passed checks in a row bring it back to Healthy. A check that throws,
/// returns Unhealthy or runs past <see cref="HealthMonitorOptions.CheckTimeout"/> is a failed check, with the reason as
/// the component's <see cref="ComponentHealth.Description"/>. A check that returns Degraded makes the component
/// Degraded and restarts both counts. A circuit (<see cref="RegisterCircuit"/>) is read as it is: open or isolated is
/// Unhealthy, half-open Degraded, closed Healthy.
/// </para>
/// <para>
/// One component is never checked twice at once: a check asked for while one runs joins it. Latency is measured on
/// the monitor's <see cref="TimeProvider"/>. Reads (<see cref="GetComponent"/>, <see cref="TryGetStatus"/>,
/// <see cref="OverallStatus"/>) take no lock.
/// </para>
/// </remarks>
public sealed class HealthMonitor : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ComponentEntry> _components = new(StringComparer.Ordinal);
    private readonly HealthMonitorOptions _options;
    private readonly CheckSettings _settings;
    private readonly IEventBus? _eventBus;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private CancellationTokenSource? _loopStop;
    private Task _loop = Task.CompletedTask;
    private bool _disposed;

    /// <summary>Creates a monitor that publishes on no event bus.</summary>
    /// <param name="options">The configuration; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <param name="timeProvider">The clock of intervals, timeouts and latencies; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger of transitions; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public HealthMonitor(HealthMonitorOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(options, null, timeProvider, loggerFactory)
    {
    }

    /// <summary>Creates a monitor.</summary>
    /// <param name="options">The configuration; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <param name="eventBus">Receives a <see cref="ComponentHealthChanged"/> for every status change; <see langword="null"/> publishes nothing.</param>
    /// <param name="timeProvider">The clock of intervals, timeouts and latencies; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger of transitions; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public HealthMonitor(HealthMonitorOptions? options, IEventBus? eventBus, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options?.Clone() ?? new HealthMonitorOptions();
        _options.Validate();
        _eventBus = eventBus;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateRedactingLogger<HealthMonitor>();
        _settings = new CheckSettings(_time, _options.CheckTimeout, _options.UnhealthyAfter, _options.HealthyAfter);
    }

    /// <summary>
    /// Raised after a component's status changed, outside any lock. A subscriber that throws is logged and ignored.
    /// Handlers of different components may run concurrently.
    /// </summary>
    public event EventHandler<ComponentStatusChangedEventArgs>? StatusChanged;

    /// <summary>A copy of the options this monitor was built with.</summary>
    public HealthMonitorOptions Options => _options.Clone();

    /// <summary>
    /// The system's status: the worst of the components' statuses weighted by severity. High and Critical components
    /// count as they are; a Medium one counts at most as Degraded; a Low one counts as Degraded when Unhealthy and not
    /// at all when Degraded. Healthy when no component is registered.
    /// </summary>
    public HealthStatus OverallStatus => HealthWeighting.Overall(_components.Values.Select(c => c.Health));

    /// <summary>Whether <see cref="StartAsync"/> has started the periodic checks and they have not been stopped.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _loopStop is not null;
            }
        }
    }

    /// <summary>Registers a component checked by a delegate.</summary>
    /// <param name="name">The component's name (unique in this monitor).</param>
    /// <param name="check">The check; it receives a token cancelled at <see cref="HealthMonitorOptions.CheckTimeout"/>.</param>
    /// <param name="severity">How much the component matters.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already registered.</exception>
    public void RegisterComponent(string name, Func<CancellationToken, Task<HealthCheckResult>> check, ComponentSeverity severity = ComponentSeverity.Medium)
    {
        ArgumentNullException.ThrowIfNull(check);
        Add(new ComponentEntry(name, CheckSeverity(severity), check, direct: false, detach: null));
    }

    /// <summary>Registers a component checked by an ASP.NET Core <see cref="IHealthCheck"/>.</summary>
    /// <param name="name">The component's name (unique in this monitor).</param>
    /// <param name="check">The health check.</param>
    /// <param name="severity">How much the component matters.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or already registered.</exception>
    public void RegisterComponent(string name, IHealthCheck check, ComponentSeverity severity = ComponentSeverity.Medium)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration(name, check, HealthStatus.Unhealthy, null) };
        RegisterComponent(name, ct => check.CheckHealthAsync(context, ct), severity);
    }

    /// <summary>
    /// Registers a circuit as a component: open or isolated is Unhealthy, half-open Degraded, closed Healthy. Its state
    /// changes are applied at once (without waiting for a check) and without hysteresis.
    /// </summary>
    /// <param name="circuit">The circuit.</param>
    /// <param name="severity">How much the component matters.</param>
    /// <param name="componentName">The component's name; <see langword="null"/> uses the circuit's name.</param>
    /// <exception cref="ArgumentException">The name is already registered.</exception>
    public void RegisterCircuit(CircuitBreaker circuit, ComponentSeverity severity = ComponentSeverity.Medium, string? componentName = null)
    {
        ArgumentNullException.ThrowIfNull(circuit);
        var name = componentName ?? circuit.Name;
        ComponentEntry? entry = null;
        void Sync()
        {
            var result = CircuitHealth.Read(circuit);
            Report(entry!.Apply(new CheckOutcome(result.Status, result.Description, null, TimeSpan.Zero, _time.GetUtcNow(), Direct: true), _settings));
        }

        EventHandler<CircuitStateChangedEventArgs> onChanged = (_, _) => Sync();
        entry = new ComponentEntry(name, CheckSeverity(severity), _ => Task.FromResult(CircuitHealth.Read(circuit)), direct: true, () => circuit.StateChanged -= onChanged);
        Add(entry);
        circuit.StateChanged += onChanged;
        Sync(); // a circuit already open when registered is Unhealthy from the start
    }

    /// <summary>Removes a component; its checks stop being run and it no longer counts in <see cref="OverallStatus"/>.</summary>
    /// <param name="name">The component's name.</param>
    /// <returns><see langword="true"/> if it was registered.</returns>
    public bool UnregisterComponent(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_components.TryRemove(name, out var entry))
        {
            return false;
        }

        entry.Detach?.Invoke();
        return true;
    }

    /// <summary>The health of one component.</summary>
    /// <param name="name">The component's name.</param>
    /// <returns>Its latest health snapshot.</returns>
    /// <exception cref="KeyNotFoundException">No component has that name.</exception>
    public ComponentHealth GetComponent(string name) =>
        TryGetComponent(name, out var health) ? health : throw new KeyNotFoundException($"No health component is registered as '{name}'.");

    /// <summary>The health of one component, if it is registered. Takes no lock.</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="health">Its latest health snapshot.</param>
    /// <returns><see langword="true"/> if it is registered.</returns>
    public bool TryGetComponent(string name, [NotNullWhen(true)] out ComponentHealth? health)
    {
        ArgumentNullException.ThrowIfNull(name);
        health = _components.TryGetValue(name, out var entry) ? entry.Health : null;
        return health is not null;
    }

    /// <summary>The status of one component, if it is registered. Takes no lock and allocates nothing.</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="status">Its status.</param>
    /// <returns><see langword="true"/> if it is registered.</returns>
    public bool TryGetStatus(string name, out HealthStatus status)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_components.TryGetValue(name, out var entry))
        {
            status = entry.Health.Status;
            return true;
        }

        status = HealthStatus.Healthy;
        return false;
    }

    /// <summary>Every component's latest health, ordered by name.</summary>
    /// <returns>The snapshots.</returns>
    public IReadOnlyList<ComponentHealth> GetComponents() =>
        [.. _components.Values.Select(c => c.Health).OrderBy(c => c.Name, StringComparer.Ordinal)];

    /// <summary>Starts the periodic checks: a first round at once, then one every <see cref="HealthMonitorOptions.CheckInterval"/>. Calling it again does nothing.</summary>
    /// <param name="cancellationToken">Not used to stop the checks (<see cref="StopAsync"/> does); cancels starting.</param>
    /// <returns>A completed task: the rounds run in the background.</returns>
    /// <exception cref="ObjectDisposedException">The monitor is disposed.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loopStop is null)
            {
                _loopStop = new CancellationTokenSource();
                var token = _loopStop.Token;
                _loop = Task.Run(() => RunPeriodicAsync(token), CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the periodic checks and waits for the round in progress to end.</summary>
    /// <param name="cancellationToken">Stops waiting (the checks are stopped regardless).</param>
    /// <returns>A task that completes when the periodic checks have stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? stop;
        Task loop;
        lock (_lock)
        {
            stop = _loopStop;
            loop = _loop;
            _loopStop = null;
        }

        if (stop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stop.Dispose();
        }
    }

    /// <summary>Checks every component now (joining checks already running) and reports the result the ASP.NET Core way.</summary>
    /// <param name="cancellationToken">Cancels waiting for the checks.</param>
    /// <returns>One entry per component (its status after hysteresis, description, latency, exception), with <see cref="OverallStatus"/> as the report's status.</returns>
    public async Task<HealthReport> CheckNowAsync(CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var results = await CheckAllAsync(cancellationToken).ConfigureAwait(false);
        var entries = new Dictionary<string, HealthReportEntry>(results.Length, StringComparer.Ordinal);
        foreach (var health in results)
        {
            entries[health.Name] = new HealthReportEntry(health.Status, health.Description, health.Latency, health.LastException, null);
        }

        return new HealthReport(entries, HealthWeighting.Overall(results), _time.GetElapsedTime(started));
    }

    /// <summary>Checks one component now (joining a check already running).</summary>
    /// <param name="name">The component's name.</param>
    /// <param name="cancellationToken">Cancels waiting for the check.</param>
    /// <returns>The component's health after the check.</returns>
    /// <exception cref="KeyNotFoundException">No component has that name.</exception>
    public async Task<ComponentHealth> CheckComponentAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_components.TryGetValue(name, out var entry))
        {
            throw new KeyNotFoundException($"No health component is registered as '{name}'.");
        }

        return await CheckAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the periodic checks and detaches from registered circuits. Idempotent.</summary>
    /// <returns>A task that completes when the periodic checks have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await StopAsync().ConfigureAwait(false);
        foreach (var entry in _components.Values)
        {
            entry.Detach?.Invoke();
        }
    }

    private static ComponentSeverity CheckSeverity(ComponentSeverity severity) =>
        Enum.IsDefined(severity) ? severity : throw new ArgumentOutOfRangeException(nameof(severity), severity, "Must be Low, Medium, High or Critical.");

    private void Add(ComponentEntry entry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Name);
        if (!_components.TryAdd(entry.Name, entry))
        {
            throw new ArgumentException($"A health component named '{entry.Name}' is already registered.", nameof(entry));
        }
    }

    private async Task<ComponentHealth[]> CheckAllAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(_components.Values.Select(e => CheckAsync(e, cancellationToken))).ConfigureAwait(false);

    private async Task<ComponentHealth> CheckAsync(ComponentEntry entry, CancellationToken cancellationToken)
    {
        var transition = await entry.CheckAsync(_settings, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        Report(transition);
        return transition.Current;
    }

    private void Report(ComponentTransition transition)
    {
        var current = transition.Current;
        if (current.Status != HealthStatus.Healthy && current.Description is { } reason && transition.Previous is null)
        {
            Log.HealthCheckFailed(_logger, current.Name, reason, current.LastException);
        }

        if (transition.Previous is not { } previous)
        {
            return;
        }

        Log.ComponentHealthChanged(_logger, current.Name, current.Status, previous.Status, current.Description);
        Subscribers.Raise(StatusChanged, this, new ComponentStatusChangedEventArgs(current, previous.Status), _logger, nameof(StatusChanged));
        EventPublishing.Fire(
            _eventBus,
            new ComponentHealthChanged(current.Name, previous.Status, current.Status, current.Description, current.Severity, current.LastTransitionAt ?? _time.GetUtcNow()),
            _logger);
    }

    private async Task RunPeriodicAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.CheckInterval, _time);
        try
        {
            do
            {
                try
                {
                    await CheckAllAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // One failed round must not end the periodic checks; the next round runs as scheduled.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.HealthRoundFailed(_logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }
}
