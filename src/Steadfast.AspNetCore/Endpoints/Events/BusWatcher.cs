using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Events;

/// <summary>
/// Turns the event bus's <see cref="OperationModeChanged"/>, <see cref="ComponentHealthChanged"/>,
/// <see cref="OperatorAlert"/> and <see cref="CreativeSolverEvent"/> into <c>mode</c>, <c>health</c>, <c>alert</c> and
/// <c>creative</c> events. The handlers only queue on the hub
/// (never block the bus), and read the monitor for the component's latency and the overall status.
/// </summary>
internal sealed class BusWatcher(EventHub hub, SteadfastSources sources)
{
    private readonly Lock _lock = new();
    private IDisposable[]? _subscriptions;

    /// <summary>Subscribes to the registered bus (once); without a bus, does nothing.</summary>
    public void Attach()
    {
        if (sources.Get<IEventBus>() is not { } bus)
        {
            return;
        }

        lock (_lock)
        {
            if (_subscriptions is not null)
            {
                return;
            }

            // Subscribing under the lock calls no user code: the bus only records the handlers.
            _subscriptions =
            [
                bus.Subscribe<OperationModeChanged>(OnModeAsync),
                bus.Subscribe<ComponentHealthChanged>(OnHealthAsync),
                bus.Subscribe<OperatorAlert>(OnAlertAsync),
                bus.Subscribe<CreativeSolverEvent>(OnCreativeAsync),
            ];
        }
    }

    /// <summary>Unsubscribes (the application is stopping).</summary>
    public void Detach()
    {
        IDisposable[]? subscriptions;
        lock (_lock)
        {
            subscriptions = _subscriptions;
            _subscriptions = null;
        }

        foreach (var subscription in subscriptions ?? [])
        {
            subscription.Dispose();
        }
    }

    private Task OnModeAsync(OperationModeChanged e, CancellationToken cancellationToken)
    {
        hub.Publish(EventTypes.Mode, new ModeEvent(e.Previous, e.Current, ReasonView.Of(e.Reasons), e.At), SteadfastWebJsonContext.Default.ModeEvent);
        return Task.CompletedTask;
    }

    private Task OnHealthAsync(ComponentHealthChanged e, CancellationToken cancellationToken)
    {
        var monitor = sources.Health;
        var component = monitor is not null && monitor.TryGetComponent(e.Component, out var health)
            ? ComponentView.Of(health)
            : new ComponentView(e.Component, e.Current, Redact.Text(e.Description), 0, null, 0, e.Severity, e.At);
        var overall = monitor?.OverallStatus ?? e.Current;
        hub.Publish(EventTypes.Health, new HealthEvent(component, e.Previous, overall, e.At), SteadfastWebJsonContext.Default.HealthEvent);
        return Task.CompletedTask;
    }

    private Task OnAlertAsync(OperatorAlert e, CancellationToken cancellationToken)
    {
        hub.Publish(
            EventTypes.Alert,
            new AlertEvent(e.Component, e.Kind, e.Severity, Redact.Text(e.Message) ?? string.Empty, e.SuppressedCount, e.At),
            SteadfastWebJsonContext.Default.AlertEvent);
        return Task.CompletedTask;
    }

    private Task OnCreativeAsync(CreativeSolverEvent e, CancellationToken cancellationToken)
    {
        hub.Publish(EventTypes.Creative, CreativeEventView.Of(e), SteadfastWebJsonContext.Default.CreativeEventView);
        return Task.CompletedTask;
    }
}
