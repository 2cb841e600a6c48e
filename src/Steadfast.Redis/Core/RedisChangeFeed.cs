using System.Collections.Immutable;
using StackExchange.Redis;

namespace Steadfast.Redis.Core;

/// <summary>
/// One pub/sub channel of changes between machines: publishes this store's changes tagged with its origin, and hands the
/// other origins' changes to the subscribers. Subscribes to Redis on the first subscriber (no I/O in constructors);
/// StackExchange.Redis re-subscribes by itself after a reconnect.
/// </summary>
internal sealed class RedisChangeFeed(RedisStoreConnection connection, RedisChannel channel, Func<Task<IReadOnlyList<ChangeMessage>>>? resync = null)
{
    private readonly Lock _lock = new();
    private ImmutableArray<Action<ChangeMessage>> _handlers = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _subscribed;
    private bool _retryOnReconnect;

    /// <summary>This store instance's identity, so it ignores its own messages.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Completes once Redis confirmed the subscription (tests wait on it before publishing from another machine).</summary>
    public Task Ready => _ready.Task;

    public IDisposable Subscribe(Action<ChangeMessage> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        bool subscribe;
        lock (_lock)
        {
            _handlers = _handlers.Add(handler);
            subscribe = !_subscribed;
            _subscribed = true;
        }

        if (subscribe)
        {
            // Fire and forget: an unreachable Redis must not stop the subscriber's start; the multiplexer subscribes when it connects.
            _ = SubscribeAsync();
            if (resync is not null)
            {
                // Changes published while this machine was cut off are lost to pub/sub: read the stored state again after a reconnect.
                connection.Multiplexer.ConnectionRestored += (_, _) => _ = ResyncAsync();
            }
        }

        return new Subscription(this, handler);
    }

    public Task PublishAsync(ChangeMessage message)
        => connection.Multiplexer.GetSubscriber().PublishAsync(channel, RedisJson.Write(message, RedisJsonContext.Default.ChangeMessage));

    private async Task SubscribeAsync()
    {
        try
        {
            var queue = await connection.Multiplexer.GetSubscriber().SubscribeAsync(channel).ConfigureAwait(false);
            queue.OnMessage(message => Dispatch(message.Message));
            _ready.TrySetResult();
        }
        catch (Exception ex) when (RedisErrors.IsRedisError(ex))
        {
            // Redis down at start: once subscribed the multiplexer re-subscribes by itself after a reconnect, but a
            // subscription that never succeeded is tried again when the connection comes back.
            lock (_lock)
            {
                if (_retryOnReconnect)
                {
                    return;
                }

                _retryOnReconnect = true;
            }

            connection.Multiplexer.ConnectionRestored += (_, _) =>
            {
                if (!_ready.Task.IsCompleted)
                {
                    _ = SubscribeAsync();
                }
            };
        }
    }

    private async Task ResyncAsync()
    {
        IReadOnlyList<ChangeMessage> messages;
        try
        {
            messages = await resync!().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreException || RedisErrors.IsRedisError(ex))
        {
            return; // down again: the next reconnect tries again
        }

        foreach (var message in messages)
        {
            Deliver(message);
        }
    }

    private void Dispatch(RedisValue value)
    {
        ChangeMessage message;
        try
        {
            message = RedisJson.Read((string)value!, RedisJsonContext.Default.ChangeMessage, static m => m.V, nameof(RedisChangeFeed), "change message");
        }
        catch (StoreException)
        {
            return; // a message of a newer Steadfast or garbage on our channel: ignore it, the stored state stays authoritative
        }

        if (message.Origin != Origin)
        {
            Deliver(message);
        }
    }

    private void Deliver(ChangeMessage message)
    {
        foreach (var handler in _handlers)
        {
            handler(message);
        }
    }

    private sealed class Subscription(RedisChangeFeed owner, Action<ChangeMessage> handler) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._handlers = owner._handlers.Remove(handler);
            }
        }
    }
}
