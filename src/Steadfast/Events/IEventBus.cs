namespace Steadfast;

/// <summary>
/// Carries Steadfast's events (circuit transitions, mode and health changes, recovery decisions, operator alerts) from
/// the part that raises them to every subscriber. <c>InProcessEventBus</c> serves one process; the Redis package
/// adds one that spans machines.
/// </summary>
/// <remarks>
/// A subscriber never blocks or breaks a publisher: handlers run off the publisher's thread, and a handler that throws
/// is logged and skipped. Implementations are bounded: an event they cannot queue is dropped and counted, never lost
/// silently.
/// </remarks>
public interface IEventBus
{
    /// <summary>Subscribes <paramref name="handler"/> to every event of type <typeparamref name="TEvent"/> (and of types derived from it).</summary>
    /// <typeparam name="TEvent">The event type to receive.</typeparam>
    /// <param name="handler">Called once per event, with a token cancelled when the bus shuts down.</param>
    /// <returns>A subscription; disposing it stops further deliveries to <paramref name="handler"/>.</returns>
    IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, Task> handler)
        where TEvent : class;

    /// <summary>Publishes <paramref name="event"/> fire-and-forget: returns once it is queued for delivery, or dropped and counted when the bus is full.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels waiting to queue the event.</param>
    /// <returns>A task that completes when the event is queued (or dropped).</returns>
    ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class;

    /// <summary>Publishes <paramref name="event"/> and waits until every current subscriber's handler has finished with it.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the wait (handlers already running are not cancelled by it).</param>
    /// <returns>A task that completes when every handler finished (a handler that threw counts as finished and is logged).</returns>
    Task PublishAndWaitAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class;
}
