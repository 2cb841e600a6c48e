using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Steadfast.AspNetCore.Endpoints.Events;

/// <summary>
/// Fans events out to every open <c>GET events</c> stream. Each stream has its own bounded buffer: a slow browser loses
/// its oldest events (counted in <see cref="Dropped"/>), it never slows a publisher, which may be a circuit transition on
/// a caller's thread.
/// </summary>
internal sealed class EventHub
{
    /// <summary>How many events wait for one slow stream before its oldest are dropped.</summary>
    public const int BufferPerStream = 256;

    private readonly Lock _lock = new();
    private Channel<SseItem<string>>[] _streams = [];
    private bool _completed;
    private long _dropped;

    /// <summary>Raised (outside the lock) when the first stream opens, so the samplers start only when someone watches.</summary>
    public event Action? FirstSubscriber;

    /// <summary>How many open streams there are.</summary>
    public int Subscribers => Volatile.Read(ref _streams).Length;

    /// <summary>Events dropped because a stream's buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Opens a stream; dispose the subscription to close it.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(BufferPerStream)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }, _ => Interlocked.Increment(ref _dropped));
        bool first;
        lock (_lock)
        {
            if (_completed)
            {
                channel.Writer.TryComplete();
                return new Subscription(this, channel);
            }

            first = _streams.Length == 0;
            _streams = [.. _streams, channel];
        }

        if (first)
        {
            FirstSubscriber?.Invoke();
        }

        return new Subscription(this, channel);
    }

    /// <summary>Serializes <paramref name="value"/> once and queues it on every stream.</summary>
    public void Publish<T>(string eventType, T value, JsonTypeInfo<T> typeInfo)
    {
        var streams = Volatile.Read(ref _streams);
        if (streams.Length == 0)
        {
            return;
        }

        var item = new SseItem<string>(JsonSerializer.Serialize(value, typeInfo), eventType);
        foreach (var stream in streams)
        {
            stream.Writer.TryWrite(item);
        }
    }

    /// <summary>Ends every stream (the application is stopping): open requests complete instead of holding the shutdown.</summary>
    public void Complete()
    {
        Channel<SseItem<string>>[] streams;
        lock (_lock)
        {
            _completed = true;
            streams = _streams;
            _streams = [];
        }

        foreach (var stream in streams)
        {
            stream.Writer.TryComplete();
        }
    }

    private void Remove(Channel<SseItem<string>> channel)
    {
        lock (_lock)
        {
            _streams = [.. _streams.Where(s => s != channel)];
        }

        channel.Writer.TryComplete();
    }

    /// <summary>One open stream.</summary>
    internal sealed class Subscription(EventHub hub, Channel<SseItem<string>> channel) : IDisposable
    {
        public ChannelReader<SseItem<string>> Reader => channel.Reader;

        public void Dispose() => hub.Remove(channel);
    }
}
