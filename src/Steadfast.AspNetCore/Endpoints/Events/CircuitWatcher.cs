using System.Collections.Concurrent;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Events;

/// <summary>
/// Publishes a <c>circuit</c> event the moment any circuit of the registry changes state, and computes the per-interval
/// call counts of the <c>metrics</c> event. The registry raises no event when it creates a circuit, so new circuits are
/// picked up on every tick, when a stream opens and when an endpoint touches one.
/// </summary>
internal sealed class CircuitWatcher(EventHub hub, TimeProvider time)
{
    private readonly ConcurrentDictionary<CircuitBreaker, bool> _watched = new(ReferenceEqualityComparer.Instance);

    // The counts at the previous tick, or when the circuit was first watched: a circuit's first point on a sparkline is
    // what happened since it was watched, not its whole history.
    private readonly ConcurrentDictionary<string, CircuitBreakerMetrics> _previous = new(StringComparer.Ordinal);

    /// <summary>Starts listening to every circuit of <paramref name="registry"/> not listened to yet.</summary>
    public void WatchAll(CircuitBreakerRegistry? registry)
    {
        if (registry is null)
        {
            return;
        }

        foreach (var breaker in registry.GetAll())
        {
            Watch(breaker);
        }
    }

    /// <summary>Starts listening to <paramref name="breaker"/> unless already listening.</summary>
    public void Watch(CircuitBreaker breaker)
    {
        if (_watched.TryAdd(breaker, true))
        {
            _previous.TryAdd(breaker.Name, breaker.GetMetrics());
            breaker.StateChanged += OnStateChanged;
        }
    }

    /// <summary>Stops listening to every circuit (the application is stopping).</summary>
    public void UnwatchAll()
    {
        foreach (var breaker in _watched.Keys)
        {
            breaker.StateChanged -= OnStateChanged;
        }

        _watched.Clear();
    }

    /// <summary>The calls, failures and rejections of each circuit since the previous call.</summary>
    public IReadOnlyList<CircuitTick> Sample(CircuitBreakerRegistry? registry)
    {
        if (registry is null)
        {
            return [];
        }

        var ticks = new List<CircuitTick>(registry.Count);
        foreach (var breaker in registry.GetAll())
        {
            var now = breaker.GetMetrics();
            Watch(breaker);
            var before = _previous.GetValueOrDefault(breaker.Name);
            _previous[breaker.Name] = now;
            ticks.Add(new CircuitTick(
                breaker.Name,
                breaker.State,
                Math.Max(0, now.TotalCalls - before.TotalCalls),
                Math.Max(0, now.Failures - before.Failures),
                Math.Max(0, now.Rejections - before.Rejections)));
        }

        return ticks;
    }

    private void OnStateChanged(object? sender, CircuitStateChangedEventArgs e)
    {
        if (sender is not CircuitBreaker breaker)
        {
            return;
        }

        hub.Publish(
            EventTypes.Circuit,
            new CircuitEvent(CircuitView.Of(breaker), e.OldState, e.Reason, time.GetUtcNow()),
            SteadfastWebJsonContext.Default.CircuitEvent);
    }
}
