using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// A persistent work queue: an enqueue that returned is stored, items are delivered highest priority first (FIFO
/// within a priority) to workers that hold a lease, renewed while the handler runs. An item whose worker died is
/// delivered again once its lease expires; an item that failed <see cref="DurableQueueOptions.MaxDeliveryAttempts"/>
/// times moves to the dead-letter list with its last error. Delivery is at least once: handlers should be idempotent
/// (<see cref="QueueMessage{T}.IdempotencyKey"/>).
/// </summary>
/// <typeparam name="T">The item type; serialized with System.Text.Json.</typeparam>
#pragma warning disable CA1711 // it is a queue, and users look for one by that name; the rule targets collection types
public sealed class DurableQueue<T>
#pragma warning restore CA1711
{
    // Processing itself (workers, lease renewal, group completion) lives in Processing/, one QueueProcessor per
    // ProcessMessagesAsync call; this type holds what outlives a call and the operations that need no worker.
    private readonly QueueServices _services;

    /// <summary>Creates a queue over a store.</summary>
    /// <param name="store">Where items are kept; several queue objects and processes may share one store.</param>
    /// <param name="options">Options; validated and copied here, so later changes to the object have no effect. <see langword="null"/> uses the defaults.</param>
    /// <param name="engine">
    /// When given, every delivery runs the handler through it (retries with backoff, circuits, budgets, learning; the
    /// operation name is <c>queue-handler</c>); the delivery fails when the engine gives up. <see langword="null"/> calls
    /// handlers directly. Engine retries happen within one delivery, before <see cref="DurableQueueOptions.MaxDeliveryAttempts"/> counts.
    /// </param>
    /// <param name="timeProvider">The clock and timers; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public DurableQueue(IQueueStore store, DurableQueueOptions? options = null, ResilienceEngine? engine = null, TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var copy = options?.Clone() ?? new DurableQueueOptions();
        copy.Validate();
        _services = new QueueServices(store, copy, timeProvider ?? TimeProvider.System,
            loggerFactory.CreateRedactingLogger("Steadfast.Durable.Queue"), IDurableExecutor.For(engine));
    }

    /// <summary>Raised (internally, for tests) after each round of lease renewals, with the number of leases renewed.</summary>
    internal Action<int>? LeasesRenewed { get; set; }

    /// <summary>Adds an item. When the returned task completes, the item is stored.</summary>
    /// <param name="item">The item.</param>
    /// <param name="priority">Higher is delivered first; equal priorities are delivered in enqueue order.</param>
    /// <param name="cancellationToken">Cancels the enqueue.</param>
    /// <returns>The item's id.</returns>
    /// <exception cref="QueueFullException">The queue holds <see cref="DurableQueueOptions.MaxSize"/> pending and in-flight items.</exception>
    public async Task<long> EnqueueAsync(T item, int priority = 0, CancellationToken cancellationToken = default)
    {
        var payload = DurableCodec.Serialize(item, _services.Options.SerializerOptions);
        var id = await _services.Store.TryEnqueueAsync(payload, priority, _services.TimeProvider.GetUtcNow(), _services.Options.MaxSize, cancellationToken)
            .ConfigureAwait(false) ?? throw new QueueFullException(_services.Options.MaxSize);
        DurableTelemetry.QueueEnqueued.Add(1);
        _services.WorkSignal.Pulse();
        return id;
    }

    /// <summary>Adds several items at once, all or none, in one write. When the returned task completes, the items are stored.</summary>
    /// <param name="items">The items, in enqueue order.</param>
    /// <param name="priority">The priority of every item; higher is delivered first.</param>
    /// <param name="cancellationToken">Cancels the enqueue.</param>
    /// <returns>The items' ids, in order.</returns>
    /// <exception cref="QueueFullException">The items do not all fit within <see cref="DurableQueueOptions.MaxSize"/>; none was enqueued.</exception>
    public async Task<IReadOnlyList<long>> EnqueueManyAsync(IEnumerable<T> items, int priority = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var payloads = items.Select(item => (ReadOnlyMemory<byte>)DurableCodec.Serialize(item, _services.Options.SerializerOptions)).ToList();
        if (payloads.Count == 0)
        {
            return [];
        }

        var ids = await _services.Store.TryEnqueueManyAsync(payloads, priority, _services.TimeProvider.GetUtcNow(), _services.Options.MaxSize, cancellationToken)
            .ConfigureAwait(false) ?? throw new QueueFullException(_services.Options.MaxSize);
        DurableTelemetry.QueueEnqueued.Add(ids.Count);
        _services.WorkSignal.Pulse();
        return ids;
    }

    /// <summary>
    /// Delivers items to <paramref name="handler"/> with <paramref name="workerCount"/> concurrent workers until
    /// <paramref name="cancellationToken"/> is cancelled or, with <paramref name="stopWhenEmpty"/>, until the queue has no
    /// pending or in-flight item. A handler that throws fails the delivery (the item is delivered again, or dead-lettered
    /// after its last attempt). On cancellation, items being handled are given back without counting the delivery.
    /// </summary>
    /// <param name="handler">Handles one item; receives a token cancelled when the caller cancels or the lease is lost.</param>
    /// <param name="workerCount">How many items are handled at once; between 1 and 256.</param>
    /// <param name="stopWhenEmpty">Whether to return once nothing is pending or in flight.</param>
    /// <param name="cancellationToken">Stops processing; surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when processing stops.</returns>
    public Task ProcessAsync(Func<T, CancellationToken, Task> handler, int workerCount = 1, bool stopWhenEmpty = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return ProcessMessagesAsync((message, ct) => handler(message.Item, ct), workerCount, stopWhenEmpty, cancellationToken);
    }

    /// <summary>
    /// Like <see cref="ProcessAsync"/>, but the handler receives the <see cref="QueueMessage{T}"/> (id, delivery attempt,
    /// idempotency key, previous error) rather than the bare item.
    /// </summary>
    /// <param name="handler">Handles one message.</param>
    /// <param name="workerCount">How many items are handled at once; between 1 and 256.</param>
    /// <param name="stopWhenEmpty">Whether to return once nothing is pending or in flight.</param>
    /// <param name="cancellationToken">Stops processing; surfaces as <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when processing stops.</returns>
    public async Task ProcessMessagesAsync(Func<QueueMessage<T>, CancellationToken, Task> handler, int workerCount = 1,
        bool stopWhenEmpty = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Guard.InRange(workerCount, 1, DurableQueueConstants.MaxWorkerCount, "ProcessAsync");
        cancellationToken.ThrowIfCancellationRequested();

        // LeasesRenewed is read at each round, not captured once: a test may subscribe after processing started.
        var processor = new QueueProcessor<T>(_services, handler, workerCount, stopWhenEmpty, renewed => LeasesRenewed?.Invoke(renewed));
        await processor.RunAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Counts the queue's items by state.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counts.</returns>
    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
        => await _services.Store.GetStatsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the dead-letter list, oldest dead-lettered first.</summary>
    /// <param name="maxCount">The most items to return; at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dead letters. An item that cannot be deserialized any more has a default <see cref="DeadLetter{T}.Item"/>.</returns>
    public async Task<IReadOnlyList<DeadLetter<T>>> GetDeadLettersAsync(int maxCount = DurableQueueConstants.DefaultDeadLetterPage,
        CancellationToken cancellationToken = default)
    {
        Guard.AtLeast(maxCount, 1, "GetDeadLettersAsync");
        var stored = await _services.Store.GetDeadLettersAsync(maxCount, cancellationToken).ConfigureAwait(false);
        var result = new List<DeadLetter<T>>(stored.Count);
        foreach (var d in stored)
        {
            DurableCodec.TryDeserialize<T>(d.Payload, _services.Options.SerializerOptions, out var item, out _);
            result.Add(new DeadLetter<T>(d.ItemId, item!, d.Priority, d.Attempts, d.LastError, d.EnqueuedAt, d.DeadLetteredAt));
        }

        return result;
    }

    /// <summary>Moves a dead-lettered item back to pending with a fresh set of delivery attempts.</summary>
    /// <param name="id">The dead letter's <see cref="DeadLetter{T}.Id"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when no dead letter has that id.</returns>
    public async Task<bool> ReplayDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        var replayed = await _services.Store.ReplayDeadLetterAsync(id, cancellationToken).ConfigureAwait(false);
        if (replayed)
        {
            Log.DeadLetterReplayed(_services.Logger, id);
            _services.WorkSignal.Pulse();
        }

        return replayed;
    }

    /// <summary>Deletes every dead-lettered item.</summary>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PurgeDeadLettersAsync(CancellationToken cancellationToken = default)
        => await _services.Store.PurgeDeadLettersAsync(cancellationToken).ConfigureAwait(false);
}
