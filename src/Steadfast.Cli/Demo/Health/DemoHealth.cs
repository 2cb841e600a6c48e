using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.Cli.Demo.Health;

/// <summary>
/// The demo's view of its own health: a <see cref="HealthMonitor"/> with one component per simulated provider (checked by a
/// ping every second on the run's clock, virtual or real) and an <see cref="OperationModeManager"/> fed by it. It only
/// observes: neither is given to the engine, so the run's figures are what they are without it.
/// </summary>
internal sealed class DemoHealth : IAsyncDisposable
{
    /// <summary>How often every component is checked.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly List<ModeTransition> _transitions = [];
    private readonly List<ComponentChange> _changes = [];
    private readonly HealthMonitor _monitor;
    private readonly OperationModeManager _modes;

    public DemoHealth(IEnumerable<SimulatedProvider> providers, TimeProvider time)
    {
        _monitor = new HealthMonitor(new HealthMonitorOptions { CheckInterval = CheckInterval }, time);
        foreach (var provider in providers)
        {
            _monitor.RegisterComponent(provider.Profile.Name, _ => Task.FromResult(Check(provider)));
        }

        _monitor.StatusChanged += OnStatusChanged;
        _modes = new OperationModeManager(_monitor, time);
        _modes.ModeChanged += OnModeChanged;
    }

    /// <summary>The operation mode now.</summary>
    public OperationMode Mode => _modes.CurrentMode;

    /// <summary>Starts the periodic checks. In virtual time call it on the loop's pump, so the loop waits for each round.</summary>
    public Task StartAsync() => _monitor.StartAsync(CancellationToken.None);

    /// <summary>Stops the periodic checks.</summary>
    public Task StopAsync() => _monitor.StopAsync(CancellationToken.None);

    /// <summary>The components that are not healthy now, with their status, in name order.</summary>
    public IReadOnlyList<ComponentReport> NotHealthy() =>
        [.. _monitor.GetComponents().Where(c => c.Status != HealthStatus.Healthy).Select(ComponentReport.Of)];

    /// <summary>What the report says: the mode now, every mode change so far, and each component's last status and latency.</summary>
    public DemoHealthReport Report()
    {
        List<ModeTransition> transitions;
        List<ComponentChange> changes;
        lock (_lock)
        {
            transitions = [.. _transitions];
            changes = [.. _changes];
        }

        return new DemoHealthReport(_modes.CurrentMode, transitions, changes, [.. _monitor.GetComponents().Select(ComponentReport.Of)]);
    }

    public async ValueTask DisposeAsync()
    {
        _modes.ModeChanged -= OnModeChanged;
        _monitor.StatusChanged -= OnStatusChanged;
        _modes.Dispose();
        await _monitor.DisposeAsync();
    }

    private static HealthCheckResult Check(SimulatedProvider provider) =>
        provider.Ping() is { } refused ? HealthCheckResult.Unhealthy(refused) : HealthCheckResult.Healthy();

    private void OnStatusChanged(object? sender, ComponentStatusChangedEventArgs e)
    {
        var change = new ComponentChange(e.Health.LastTransitionAt ?? e.Health.LastCheckedAt ?? default, e.Component, e.Previous, e.Current, e.Current == HealthStatus.Healthy ? null : e.Description);
        lock (_lock)
        {
            _changes.Add(change);
        }
    }

    private void OnModeChanged(object? sender, OperationModeChangedEventArgs e)
    {
        var reasons = e.Reasons.Select(r => r.Component is null ? r.Description : $"{r.Component}: {r.Description}").ToList();
        lock (_lock)
        {
            _transitions.Add(new ModeTransition(e.At, e.Previous, e.Current, reasons));
        }
    }
}
