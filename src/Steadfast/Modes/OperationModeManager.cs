using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Steadfast.Health.Monitoring;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Decides how the system operates — <see cref="OperationMode.Normal"/>, <see cref="OperationMode.Degraded"/> or
/// <see cref="OperationMode.Emergency"/> — from the components marked degraded (by hand or by a
/// <see cref="HealthMonitor"/>) and from a mode set by hand, and switches features off accordingly.
/// </summary>
/// <remarks>
/// <para>
/// The mode is the highest of: the mode set by <see cref="SetModeAsync"/> (a floor; setting Normal removes it), and the
/// components' mode — Emergency when a degraded component has High or Critical severity, Degraded when any component
/// is degraded, Normal otherwise. So the last component marked normal again brings the system back to Normal (unless a
/// mode was set by hand).
/// </para>
/// <para>
/// Fed by a monitor, a component's status is weighted by its severity as in <see cref="HealthMonitor.OverallStatus"/>:
/// an Unhealthy High or Critical component is marked degraded with its severity (Emergency); an Unhealthy Medium or
/// Low component, or a Degraded Medium, High or Critical one, is marked degraded with Medium (at most) severity
/// (Degraded); a Healthy component, or a Degraded Low one, is marked normal. The mode therefore follows the
/// monitor's overall status: Unhealthy is Emergency, Degraded is Degraded, Healthy is Normal.
/// </para>
/// <para>
/// <see cref="CurrentMode"/> and <see cref="IsFeatureEnabled"/> take no lock. <see cref="ModeChanged"/> is raised
/// outside the lock; a listener that throws is logged and ignored. Every change is also published as
/// <see cref="OperationModeChanged"/> on the event bus, when one is given.
/// </para>
/// </remarks>
public sealed class OperationModeManager : IDisposable
{
    private readonly Dictionary<string, DegradedComponent> _degraded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OperationMode> _features = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly HealthMonitor? _monitor;
    private readonly IEventBus? _eventBus;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DegradationReason? _manual;
    private int _mode;

    /// <summary>Creates a manager, fed by <paramref name="monitor"/> when one is given, that publishes on no event bus.</summary>
    /// <param name="monitor">Marks components degraded and normal as their health changes; <see langword="null"/> for marking by hand only.</param>
    /// <param name="timeProvider">The clock of <see cref="DegradedComponent.Since"/>; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger of mode changes; <see langword="null"/> logs nothing.</param>
    public OperationModeManager(HealthMonitor? monitor = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(monitor, null, timeProvider, loggerFactory)
    {
    }

    /// <summary>Creates a manager, fed by <paramref name="monitor"/> when one is given.</summary>
    /// <param name="monitor">Marks components degraded and normal as their health changes; <see langword="null"/> for marking by hand only.</param>
    /// <param name="eventBus">Receives an <see cref="OperationModeChanged"/> for every mode change; <see langword="null"/> publishes nothing.</param>
    /// <param name="timeProvider">The clock of <see cref="DegradedComponent.Since"/>; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Creates the logger of mode changes; <see langword="null"/> logs nothing.</param>
    public OperationModeManager(HealthMonitor? monitor, IEventBus? eventBus, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _eventBus = eventBus;
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateRedactingLogger<OperationModeManager>();
        _monitor = monitor;
        if (monitor is not null)
        {
            monitor.StatusChanged += OnStatusChanged;
            foreach (var component in monitor.GetComponents())
            {
                FromMonitor(component);
            }
        }
    }

    /// <summary>
    /// Raised after the mode changed, outside the lock. A listener that throws is logged and ignored. Under concurrent
    /// changes events may be raised out of order; <see cref="CurrentMode"/> is always the truth.
    /// </summary>
    public event EventHandler<OperationModeChangedEventArgs>? ModeChanged;

    /// <summary>The current mode. Takes no lock.</summary>
    public OperationMode CurrentMode => (OperationMode)Volatile.Read(ref _mode);

    /// <summary>
    /// Sets the mode by hand, as a floor: the mode is at least <paramref name="mode"/> until it is set again; setting
    /// <see cref="OperationMode.Normal"/> removes the floor (degraded components still count).
    /// </summary>
    /// <param name="mode">The mode.</param>
    /// <param name="reason">Why (shown in <see cref="GetDegradationReasons"/>).</param>
    /// <param name="cancellationToken">Cancels waiting to queue the <see cref="OperationModeChanged"/> event.</param>
    /// <returns>A task that completes when the change is applied and published.</returns>
    public Task SetModeAsync(OperationMode mode, string reason, CancellationToken cancellationToken = default)
    {
        CheckMode(mode);
        ArgumentNullException.ThrowIfNull(reason);
        OperationModeChangedEventArgs? change;
        lock (_lock)
        {
            _manual = mode == OperationMode.Normal ? null : new DegradationReason(null, SecretRedactor.RedactText(reason), mode, _time.GetUtcNow());
            change = Recompute_NeedsLock();
        }

        return AnnounceAsync(change, cancellationToken);
    }

    /// <summary>Marks a component degraded (again: its reason and severity are updated, its <see cref="DegradedComponent.Since"/> kept).</summary>
    /// <param name="component">The component's name.</param>
    /// <param name="reason">Why (redacted before it is kept).</param>
    /// <param name="severity">High or Critical puts the system into Emergency; Low and Medium into Degraded.</param>
    /// <param name="cancellationToken">Cancels waiting to queue the <see cref="OperationModeChanged"/> event.</param>
    /// <returns>A task that completes when the change is applied and published.</returns>
    public Task MarkComponentDegradedAsync(string component, string reason, ComponentSeverity severity = ComponentSeverity.Medium, CancellationToken cancellationToken = default) =>
        AnnounceAsync(Mark(component, reason, severity), cancellationToken);

    /// <summary>Marks a component normal again; when it was the last degraded one (and no mode is set by hand), the mode returns to Normal.</summary>
    /// <param name="component">The component's name.</param>
    /// <param name="cancellationToken">Cancels waiting to queue the <see cref="OperationModeChanged"/> event.</param>
    /// <returns>A task that completes when the change is applied and published.</returns>
    public Task MarkComponentNormalAsync(string component, CancellationToken cancellationToken = default) =>
        AnnounceAsync(Unmark(component), cancellationToken);

    /// <summary>The components marked degraded, by name.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<string, DegradedComponent> GetDegradedComponents()
    {
        lock (_lock)
        {
            return new Dictionary<string, DegradedComponent>(_degraded, StringComparer.Ordinal);
        }
    }

    /// <summary>Why the system is not Normal: the mode set by hand first, then each degraded component, oldest first.</summary>
    /// <returns>A snapshot (empty in Normal).</returns>
    public IReadOnlyList<DegradationReason> GetDegradationReasons()
    {
        lock (_lock)
        {
            return Reasons_NeedsLock();
        }
    }

    /// <summary>Defines (or redefines) a feature that is switched off from <paramref name="disabledFrom"/> on.</summary>
    /// <param name="feature">The feature's name.</param>
    /// <param name="disabledFrom"><see cref="OperationMode.Degraded"/> (off in Degraded and Emergency) or <see cref="OperationMode.Emergency"/> (off in Emergency only).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="disabledFrom"/> is Normal or undefined.</exception>
    public void DefineFeature(string feature, OperationMode disabledFrom)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feature);
        if (disabledFrom is not (OperationMode.Degraded or OperationMode.Emergency))
        {
            throw new ArgumentOutOfRangeException(nameof(disabledFrom), disabledFrom, "A feature can be disabled from Degraded or from Emergency on.");
        }

        _features[feature] = disabledFrom;
    }

    /// <summary>Whether a feature is on in the current mode; a feature never defined is always on. Takes no lock.</summary>
    /// <param name="feature">The feature's name.</param>
    /// <returns><see langword="true"/> if the feature may run now.</returns>
    public bool IsFeatureEnabled(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return !_features.TryGetValue(feature, out var disabledFrom) || CurrentMode < disabledFrom;
    }

    /// <summary>Stops following the monitor.</summary>
    public void Dispose()
    {
        if (_monitor is not null)
        {
            _monitor.StatusChanged -= OnStatusChanged;
        }
    }

    private static void CheckMode(OperationMode mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Must be Normal, Degraded or Emergency.");
        }
    }

    private static OperationMode ModeOf(ComponentSeverity severity) =>
        severity >= ComponentSeverity.High ? OperationMode.Emergency : OperationMode.Degraded;

    private void OnStatusChanged(object? sender, ComponentStatusChangedEventArgs e)
    {
        // The monitor's current snapshot, not the event's: events of one component may arrive out of order.
        if (_monitor!.TryGetComponent(e.Component, out var current))
        {
            FromMonitor(current);
        }
    }

    private void FromMonitor(ComponentHealth health)
    {
        var weighted = HealthWeighting.Weighted(health.Status, health.Severity);
        var change = weighted switch
        {
            HealthStatus.Healthy => Unmark(health.Name),
            HealthStatus.Unhealthy => Mark(health.Name, Describe(health), health.Severity),
            _ => Mark(health.Name, Describe(health), health.Severity > ComponentSeverity.Medium ? ComponentSeverity.Medium : health.Severity),
        };
        if (change is not null)
        {
            Announce(change);
            EventPublishing.Fire(_eventBus, ToEvent(change), _logger);
        }

        static string Describe(ComponentHealth h) => h.Description is { } d ? $"health {h.Status}: {d}" : $"health {h.Status}";
    }

    private OperationModeChangedEventArgs? Mark(string component, string reason, ComponentSeverity severity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(reason);
        if (!Enum.IsDefined(severity))
        {
            throw new ArgumentOutOfRangeException(nameof(severity), severity, "Must be Low, Medium, High or Critical.");
        }

        lock (_lock)
        {
            var since = _degraded.TryGetValue(component, out var existing) ? existing.Since : _time.GetUtcNow();
            _degraded[component] = new DegradedComponent(component, SecretRedactor.RedactText(reason), severity, since);
            return Recompute_NeedsLock();
        }
    }

    private OperationModeChangedEventArgs? Unmark(string component)
    {
        ArgumentNullException.ThrowIfNull(component);
        lock (_lock)
        {
            return _degraded.Remove(component) ? Recompute_NeedsLock() : null;
        }
    }

    private OperationModeChangedEventArgs? Recompute_NeedsLock()
    {
        var mode = _manual?.Mode ?? OperationMode.Normal;
        foreach (var component in _degraded.Values)
        {
            var own = ModeOf(component.Severity);
            mode = own > mode ? own : mode;
        }

        var previous = (OperationMode)_mode;
        if (mode == previous)
        {
            return null;
        }

        Volatile.Write(ref _mode, (int)mode);
        return new OperationModeChangedEventArgs(previous, mode, Reasons_NeedsLock(), _time.GetUtcNow());
    }

    private List<DegradationReason> Reasons_NeedsLock()
    {
        var reasons = new List<DegradationReason>(_degraded.Count + 1);
        if (_manual is { } manual)
        {
            reasons.Add(manual);
        }

        reasons.AddRange(_degraded.Values
            .OrderBy(c => c.Since)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new DegradationReason(c.Name, c.Reason, ModeOf(c.Severity), c.Since)));
        return reasons;
    }

    private async Task AnnounceAsync(OperationModeChangedEventArgs? change, CancellationToken cancellationToken)
    {
        if (change is null)
        {
            return;
        }

        Announce(change);
        await EventPublishing.PublishAsync(_eventBus, ToEvent(change), _logger, cancellationToken).ConfigureAwait(false);
    }

    private void Announce(OperationModeChangedEventArgs change)
    {
        Log.OperationModeChanged(_logger, change.Current, change.Previous, string.Join("; ", change.Reasons.Select(r => r.Component is null ? r.Description : $"{r.Component}: {r.Description}")));
        Subscribers.Raise(ModeChanged, this, change, _logger, nameof(ModeChanged));
    }

    private static OperationModeChanged ToEvent(OperationModeChangedEventArgs change) => new(change.Previous, change.Current, change.Reasons, change.At);
}
