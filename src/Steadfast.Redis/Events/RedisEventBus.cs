using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Steadfast.Redis.Core;
using Steadfast.Redis.Events;

namespace Steadfast;

/// <summary>
/// An <see cref="IEventBus"/> across machines on Redis pub/sub: an event published on one machine reaches the subscribers
/// of every machine that uses the same server and <see cref="RedisStoreOptions.KeyPrefix"/>, this one's included (local
/// subscribers get local publishes directly, without the round trip). Events travel as JSON with their type's full name
/// as the discriminator; a machine delivers an event to the subscribers of its type or of a base type.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="RedisStoreOptions.EventBufferCapacity"/> events wait for local handlers and as many for
/// Redis; beyond that events are dropped and counted (<see cref="DroppedEvents"/>). Pub/sub is at most once: a machine
/// that is disconnected while an event is published never sees it, and an event that cannot be published while Redis is
/// down is delivered locally only and counted. Handlers run one after another on a background task, never on the
/// publisher's thread; a handler that throws is logged and skipped. The bus does not own the multiplexer.
/// </remarks>
public sealed class RedisEventBus : IEventBus, IAsyncDisposable
{
    private readonly RedisStoreConnection _connection;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger _logger;
    private readonly Channel<LocalDelivery> _local;
    private readonly Channel<RemoteEvent> _remote;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Type> _knownTypes = new(StringComparer.Ordinal);
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _localPump;
    private readonly Task _remotePump;
    private ImmutableArray<EventSubscription> _subscriptions = [];
    private int _listening;
    private long _dropped;

    /// <summary>Creates the bus. Does no I/O: it subscribes to Redis on the first subscription or publish.</summary>
    /// <param name="redis">The connection; not disposed by the bus.</param>
    /// <param name="options">The key prefix (the channel is <c>{prefix}v1:channel:events</c>) and the buffer size; validated and copied.</param>
    /// <param name="jsonOptions">How events are written and read; <see langword="null"/> uses <see cref="JsonSerializerOptions.Web"/>. Give a source-generated resolver for trimmed apps.</param>
    /// <param name="loggerFactory">Where handler failures and drops are logged; nothing is logged when null.</param>
    public RedisEventBus(IConnectionMultiplexer redis, RedisStoreOptions? options = null, JsonSerializerOptions? jsonOptions = null, ILoggerFactory? loggerFactory = null)
    {
        _connection = new RedisStoreConnection(redis, options, nameof(RedisEventBus));
        _json = jsonOptions ?? JsonSerializerOptions.Web;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RedisEventBus>();
        var capacity = _connection.Options.EventBufferCapacity;
        _local = Channel.CreateBounded<LocalDelivery>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _remote = Channel.CreateBounded<RemoteEvent>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _localPump = Task.Run(PumpLocalAsync);
        _remotePump = Task.Run(PumpRemoteAsync);
    }

    /// <summary>Events dropped so far: the buffers were full, or Redis could not take them (those were still delivered locally).</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>Completes once the bus listens to the other machines (after the first subscription or publish).</summary>
    internal Task Ready => _ready.Task;

    /// <inheritdoc />
    public IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, Task> handler)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new EventSubscription(typeof(TEvent), (e, ct) => handler((TEvent)e, ct));
        _knownTypes[typeof(TEvent).FullName!] = typeof(TEvent);
        lock (_lock)
        {
            _subscriptions = _subscriptions.Add(subscription);
        }

        Listen();
        return new Unsubscriber(this, subscription);
    }

    /// <inheritdoc />
    public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        Publish(@event, null);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async Task PublishAndWaitAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Publish(@event, done);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the pumps after the events already queued (handlers get a cancelled token) and unsubscribes from Redis. Idempotent.</summary>
    /// <returns>A task that completes when the pumps stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!_local.Writer.TryComplete())
        {
            return;
        }

        _remote.Writer.TryComplete();
        await _remotePump.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _localPump.ConfigureAwait(false);
        if (Volatile.Read(ref _listening) == 1)
        {
            await _connection.Multiplexer.GetSubscriber().UnsubscribeAsync(_connection.Keys.EventChannel).ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Publish(object @event, TaskCompletionSource? done)
    {
        var type = @event.GetType();
        _knownTypes[type.FullName!] = type;
        Listen();
        Deliver(@event, type, done);
        var message = new RemoteEvent(RedisJson.Version, _origin, type.FullName!, TypeNames(type), JsonSerializer.SerializeToElement(@event, type, _json));
        if (!_remote.Writer.TryWrite(message))
        {
            Drop(type.FullName!);
        }
    }

    private void Deliver(object @event, Type type, TaskCompletionSource? done)
    {
        var handlers = _subscriptions.Where(s => s.Accepts(type)).ToArray();
        if (handlers.Length == 0)
        {
            done?.TrySetResult();
            return;
        }

        if (!_local.Writer.TryWrite(new LocalDelivery(@event, type, handlers, done)))
        {
            Drop(type.FullName!);
            done?.TrySetResult();
        }
    }

    private void Drop(string eventType)
    {
        var dropped = Interlocked.Increment(ref _dropped);
        Log.EventDropped(_logger, eventType, _connection.Options.EventBufferCapacity, dropped);
    }

    private static string[] TypeNames(Type type)
    {
        var names = new List<string>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            names.Add(t.FullName!);
        }

        names.AddRange(type.GetInterfaces().Select(i => i.FullName!));
        return [.. names];
    }

    private void Listen()
    {
        if (Interlocked.CompareExchange(ref _listening, 1, 0) != 0)
        {
            return;
        }

        _ = ListenAsync();
    }

    private async Task ListenAsync()
    {
        try
        {
            var queue = await _connection.Multiplexer.GetSubscriber().SubscribeAsync(_connection.Keys.EventChannel).ConfigureAwait(false);
            queue.OnMessage(m => Receive(m.Message));
            _ready.TrySetResult();
        }
        catch (Exception ex) when (RedisErrors.IsRedisError(ex))
        {
            Volatile.Write(ref _listening, 0); // Redis down at start: the next subscribe or publish tries again
        }
    }

    private void Receive(RedisValue value)
    {
        RemoteEvent? message;
        try
        {
            message = JsonSerializer.Deserialize((string)value!, RedisJsonContext.Default.RemoteEvent);
        }
        catch (JsonException ex)
        {
            Log.EventIgnored(_logger, ex.Message);
            return;
        }

        if (message is null || message.Origin == _origin || message.V > RedisJson.Version)
        {
            return;
        }

        // The concrete type when this process knows it (it subscribed to it or published one), else the subscriber's type.
        var known = _knownTypes.GetValueOrDefault(message.Type);
        foreach (var group in _subscriptions.Where(s => message.Types.Contains(s.EventType.FullName)).GroupBy(s => known ?? s.EventType))
        {
            object? @event;
            try
            {
                @event = message.Data.Deserialize(group.Key, _json);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                Log.EventIgnored(_logger, ex.Message);
                continue;
            }

            if (@event is not null)
            {
                Deliver(@event, group.Key, null);
            }
        }
    }

    private async Task PumpLocalAsync()
    {
        await foreach (var delivery in _local.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var subscription in delivery.Handlers)
            {
                try
                {
                    await subscription.Handler(delivery.Event, _stopping.Token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A subscriber never breaks the bus or the other subscribers: log and go on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.HandlerFailed(_logger, delivery.EventType.FullName!, ex);
                }
            }

            delivery.Done?.TrySetResult();
        }
    }

    private async Task PumpRemoteAsync()
    {
        var subscriber = _connection.Multiplexer.GetSubscriber();
        await foreach (var message in _remote.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await subscriber.PublishAsync(_connection.Keys.EventChannel, JsonSerializer.Serialize(message, RedisJsonContext.Default.RemoteEvent)).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisErrors.IsRedisError(ex))
            {
                Log.PublishFailed(_logger, message.Type, Interlocked.Increment(ref _dropped), ex);
            }
        }
    }

    private sealed class Unsubscriber(RedisEventBus bus, EventSubscription subscription) : IDisposable
    {
        public void Dispose()
        {
            lock (bus._lock)
            {
                bus._subscriptions = bus._subscriptions.Remove(subscription);
            }
        }
    }
}
