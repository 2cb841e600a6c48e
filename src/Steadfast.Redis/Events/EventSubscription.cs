namespace Steadfast.Redis.Events;

/// <summary>One subscriber: the event type it asked for and its handler.</summary>
internal sealed class EventSubscription(Type eventType, Func<object, CancellationToken, Task> handler)
{
    public Type EventType { get; } = eventType;

    public Func<object, CancellationToken, Task> Handler { get; } = handler;

    public bool Accepts(Type type) => EventType.IsAssignableFrom(type);
}
