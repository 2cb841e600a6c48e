using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast.Events.Bus;

/// <summary>
/// One subscriber: its own bounded queue and its own delivery loop, so a slow or throwing handler only ever delays
/// itself — never the publisher and never the other subscribers.
/// </summary>
internal abstract class Subscription : IDisposable
{
    private readonly Channel<Delivery> _queue;
    private readonly Action<Subscription> _onDispose;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private int _disposed;
    private int _dropping;

    protected Subscription(Type eventType, int capacity, Action<Subscription> onDispose, ILogger logger)
    {
        EventType = eventType;
        _capacity = capacity;
        _onDispose = onDispose;
        _logger = logger;
        _queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The event type subscribed to; events of derived types are delivered too.</summary>
    public Type EventType { get; }

    /// <summary>The delivery loop; completes once the subscription (or the bus) is disposed and its queue drained.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken shutdown) =>
        Completion = Task.Run(() => DeliverAsync(shutdown), CancellationToken.None);

    /// <summary>Queues a fire-and-forget event, or reports that the queue is full (the caller counts the drop).</summary>
    public bool TryEnqueue(object @event, out bool firstDropOfBurst)
    {
        if (_queue.Writer.TryWrite(new Delivery(@event, null)))
        {
            Volatile.Write(ref _dropping, 0);
            firstDropOfBurst = false;
            return true;
        }

        // One log line per burst of drops, not one per event: a full queue under load would flood the log otherwise.
        firstDropOfBurst = Volatile.Read(ref _disposed) == 0 && Interlocked.Exchange(ref _dropping, 1) == 0;
        return Volatile.Read(ref _disposed) != 0; // a disposed subscription is not a drop: it asked for no more events
    }

    public int Capacity => _capacity;

    /// <summary>Queues an acknowledged event, waiting for room; a disposed subscription acknowledges at once.</summary>
    public async ValueTask EnqueueAsync(object @event, Acknowledgement acknowledgement, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(new Delivery(@event, acknowledgement), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            acknowledgement.Signal();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _onDispose(this);
            Close();
        }
    }

    /// <summary>Stops accepting events; those already queued are drained (acknowledged without running the handler once disposed).</summary>
    public void Close() => _queue.Writer.TryComplete();

    protected abstract Task InvokeAsync(object @event, CancellationToken cancellationToken);

    private async Task DeliverAsync(CancellationToken shutdown)
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (Volatile.Read(ref _disposed) == 0 && !shutdown.IsCancellationRequested)
            {
                try
                {
                    await InvokeAsync(delivery.Event, shutdown).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
                {
                    // The bus is shutting down: the handler stopped as asked.
                }
#pragma warning disable CA1031 // A subscriber's failure is logged and skipped: it must not stop delivery to it or break a publisher.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.EventHandlerFailed(_logger, delivery.Event.GetType().Name, ex);
                }
            }

            delivery.Acknowledgement?.Signal();
        }
    }
}
