using Microsoft.Extensions.Logging;

namespace Steadfast.Events.Bus;

/// <summary>A subscription to events of type <typeparamref name="TEvent"/>.</summary>
internal sealed class TypedSubscription<TEvent> : Subscription
    where TEvent : class
{
    private readonly Func<TEvent, CancellationToken, Task> _handler;

    public TypedSubscription(Func<TEvent, CancellationToken, Task> handler, int capacity, Action<Subscription> onDispose, ILogger logger)
        : base(typeof(TEvent), capacity, onDispose, logger) => _handler = handler;

    protected override Task InvokeAsync(object @event, CancellationToken cancellationToken) =>
        _handler((TEvent)@event, cancellationToken) ?? Task.CompletedTask;
}
