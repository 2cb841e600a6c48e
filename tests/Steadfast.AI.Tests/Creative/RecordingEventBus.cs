namespace Steadfast.AI.Tests.Creative;

/// <summary>An event bus that keeps what is published, in order.</summary>
internal sealed class RecordingEventBus : IEventBus
{
    private readonly Lock _lock = new();
    private readonly List<object> _events = [];

    public IReadOnlyList<object> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, Task> handler)
        where TEvent : class => throw new NotSupportedException();

    public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        lock (_lock)
        {
            _events.Add(@event);
        }

        return ValueTask.CompletedTask;
    }

    public Task PublishAndWaitAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class => PublishAsync(@event, cancellationToken).AsTask();
}
