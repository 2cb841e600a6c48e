using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Steadfast.Events.Bus;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// The event bus of one process: every subscription has its own bounded queue and its own delivery loop.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="PublishAsync{TEvent}"/> queues the event for each current subscriber of its type (or of a base type) and
/// returns at once; when a subscriber's queue is full (<see cref="InProcessEventBusOptions.Capacity"/>) the event is
/// dropped for that subscriber, counted in <see cref="DroppedCount"/> and the <c>steadfast.events.dropped</c> metric, and
/// logged once per burst (<c>EventsDropped</c>). <see cref="PublishAndWaitAsync{TEvent}"/> never drops: it waits for room
/// and returns when every subscriber's handler has finished with the event.
/// </para>
/// <para>
/// Handlers run on the thread pool, one event at a time per subscription, in the order the events were queued for it.
/// A handler that throws is logged (<c>EventHandlerFailed</c>) and delivery goes on; a slow handler only delays its own
/// subscription. Disposing the bus cancels the token handlers receive and waits for the delivery loops to finish.
/// </para>
/// </remarks>
public sealed class InProcessEventBus : IEventBus, IAsyncDisposable
{
    private readonly InProcessEventBusOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _lock = new();
    private Routes _routes = new([]);
    private long _dropped;
    private bool _disposed;

    /// <summary>Creates a bus with the default options.</summary>
    /// <param name="loggerFactory">Creates the logger of drops and handler failures; <see langword="null"/> logs nothing.</param>
    public InProcessEventBus(ILoggerFactory? loggerFactory = null)
        : this(null, loggerFactory)
    {
    }

    /// <summary>Creates a bus.</summary>
    /// <param name="options">The configuration; <see langword="null"/> uses the defaults. The values are copied and validated.</param>
    /// <param name="loggerFactory">Creates the logger of drops and handler failures; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public InProcessEventBus(InProcessEventBusOptions? options, ILoggerFactory? loggerFactory = null)
    {
        _options = options?.Clone() ?? new InProcessEventBusOptions();
        _options.Validate();
        _logger = loggerFactory.CreateRedactingLogger<InProcessEventBus>();
    }

    /// <summary>Fire-and-forget events dropped so far because a subscriber's queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>The number of current subscriptions.</summary>
    public int SubscriberCount => Volatile.Read(ref _routes).Subscriptions.Length;

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    public IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, Task> handler)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new TypedSubscription<TEvent>(handler, _options.Capacity, Remove, _logger);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _routes = new Routes([.. _routes.Subscriptions, subscription]);
            subscription.Start(_shutdown.Token);
        }

        return subscription;
    }

    /// <inheritdoc />
    /// <remarks>Never waits: the returned task is already complete. After the bus is disposed the event is dropped and counted.</remarks>
    public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        cancellationToken.ThrowIfCancellationRequested();
        var type = @event.GetType();
        var targets = Volatile.Read(ref _routes).For(type);
        foreach (var target in targets)
        {
            if (target.TryEnqueue(@event, out var firstDrop))
            {
                Count(EventBusTelemetry.Published, type);
                continue;
            }

            var dropped = Interlocked.Increment(ref _dropped);
            Count(EventBusTelemetry.Dropped, type);
            if (firstDrop)
            {
                Log.EventsDropped(_logger, type.Name, target.Capacity, dropped);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The bus is disposed.</exception>
    public async Task PublishAndWaitAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var type = @event.GetType();
        var targets = Volatile.Read(ref _routes).For(type);
        if (targets.Length == 0)
        {
            return;
        }

        var acknowledgement = new Acknowledgement(targets.Length);
        foreach (var target in targets)
        {
            await target.EnqueueAsync(@event, acknowledgement, cancellationToken).ConfigureAwait(false);
            Count(EventBusTelemetry.Published, type);
        }

        await acknowledgement.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the bus: handlers' tokens are cancelled, queued events are released unhandled, and the delivery loops are awaited.</summary>
    /// <returns>A task that completes when every delivery loop has finished.</returns>
    public async ValueTask DisposeAsync()
    {
        Subscription[] subscriptions;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            subscriptions = _routes.Subscriptions;
            _routes = new Routes([]);
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var subscription in subscriptions)
        {
            subscription.Close();
        }

        await Task.WhenAll(subscriptions.Select(s => s.Completion)).ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private static void Count(System.Diagnostics.Metrics.Counter<long> counter, Type type)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new TagList { { "steadfast.event.type", type.Name } });
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _routes = new Routes(_routes.Subscriptions.Where(s => !ReferenceEquals(s, subscription)).ToArray());
        }
    }

    /// <summary>
    /// The subscriptions at one moment and, per event type, those that receive it. Replaced (never changed) when a
    /// subscription comes or goes, so publishing takes no lock and a cached route is never stale for its set.
    /// </summary>
    private sealed class Routes(Subscription[] subscriptions)
    {
        private readonly ConcurrentDictionary<Type, Subscription[]> _byType = new();

        public Subscription[] Subscriptions { get; } = subscriptions;

        public Subscription[] For(Type eventType) =>
            Subscriptions.Length == 0
                ? []
                : _byType.GetOrAdd(eventType, static (type, all) => all.Where(s => s.EventType.IsAssignableFrom(type)).ToArray(), Subscriptions);
    }
}
