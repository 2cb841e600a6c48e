using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
public sealed class DurableQueue<T>
{
    private static readonly KeyValuePair<string, object?> Completed = new("outcome", "completed");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> DeadLettered = new("outcome", "dead_lettered");
    private static readonly KeyValuePair<string, object?> LeaseLost = new("outcome", "lease_lost");

    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly IQueueStore _store;
    private readonly DurableQueueOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly IDurableExecutor _executor;
    private readonly ILogger _logger;
    private readonly AsyncSignal _signal = new();

    /// <summary>Creates a queue over a store.</summary>
    /// <param name="store">Where items are kept; several queue objects and processes may share one store.</param>
    /// <param name="options">Options; validated here. <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock and timers; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> logs nothing.</param>
    /// <param name="engine">
    /// When given, every delivery runs the handler through it (retries with backoff, circuits, budgets, learning; the
    /// operation name is <c>queue-handler</c>); the delivery fails when the engine gives up. <see langword="null"/> calls
    /// handlers directly. Engine retries happen within one delivery, before <see cref="DurableQueueOptions.MaxDeliveryAttempts"/> counts.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public DurableQueue(IQueueStore store, DurableQueueOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null,
        ResilienceEngine? engine = null)
        : this(store, options, timeProvider, loggerFactory, IDurableExecutor.For(engine))
    {
    }

    internal DurableQueue(IQueueStore store, DurableQueueOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IDurableExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new DurableQueueOptions();
        options.Validate();
        _store = store;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _executor = executor;
        _logger = (ILogger?)loggerFactory?.CreateLogger("Steadfast.Durable.Queue") ?? NullLogger.Instance;
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
        var payload = DurableCodec.Serialize(item, _options.SerializerOptions);
        var id = await _store.TryEnqueueAsync(payload, priority, _timeProvider.GetUtcNow(), _options.MaxSize, cancellationToken)
            .ConfigureAwait(false) ?? throw new QueueFullException(_options.MaxSize);
        DurableTelemetry.QueueEnqueued.Add(1);
        _signal.Pulse();
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
        var payloads = items.Select(item => (ReadOnlyMemory<byte>)DurableCodec.Serialize(item, _options.SerializerOptions)).ToList();
        if (payloads.Count == 0)
        {
            return [];
        }

        var ids = await _store.TryEnqueueManyAsync(payloads, priority, _timeProvider.GetUtcNow(), _options.MaxSize, cancellationToken)
            .ConfigureAwait(false) ?? throw new QueueFullException(_options.MaxSize);
        DurableTelemetry.QueueEnqueued.Add(ids.Count);
        _signal.Pulse();
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

        var run = new ProcessingRun(workerCount);
        using var renewalStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = Task.Run(() => RenewLeasesAsync(run.InFlight, renewalStop.Token), CancellationToken.None);
        var workers = new Task[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            workers[i] = Task.Run(() => WorkerAsync(handler, run, stopWhenEmpty, cancellationToken), CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            // Claimed but never handled (the caller cancelled): give them back uncounted.
            while (run.Buffer.TryDequeue(out var unhandled))
            {
                run.InFlight.TryRemove(unhandled.ItemId, out _);
                await StoreSafelyAsync("release", () => _store.ReleaseAsync(unhandled.ItemId, unhandled.LeaseToken, CancellationToken.None)).ConfigureAwait(false);
            }

            await run.CompletionsDrained().ConfigureAwait(false);
            await renewalStop.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Counts the queue's items by state.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counts.</returns>
    public async Task<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
        => await _store.GetStatsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the dead-letter list, oldest dead-lettered first.</summary>
    /// <param name="maxCount">The most items to return; at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dead letters. An item that cannot be deserialized any more has a default <see cref="DeadLetter{T}.Item"/>.</returns>
    public async Task<IReadOnlyList<DeadLetter<T>>> GetDeadLettersAsync(int maxCount = DurableQueueConstants.DefaultDeadLetterPage,
        CancellationToken cancellationToken = default)
    {
        Guard.AtLeast(maxCount, 1, "GetDeadLettersAsync");
        var stored = await _store.GetDeadLettersAsync(maxCount, cancellationToken).ConfigureAwait(false);
        var result = new List<DeadLetter<T>>(stored.Count);
        foreach (var d in stored)
        {
            TryDeserialize(d.Payload, out var item, out _);
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
        var replayed = await _store.ReplayDeadLetterAsync(id, cancellationToken).ConfigureAwait(false);
        if (replayed)
        {
            Log.DeadLetterReplayed(_logger, id);
            _signal.Pulse();
        }

        return replayed;
    }

    /// <summary>Deletes every dead-lettered item.</summary>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PurgeDeadLettersAsync(CancellationToken cancellationToken = default)
        => await _store.PurgeDeadLettersAsync(cancellationToken).ConfigureAwait(false);

    private async Task WorkerAsync(Func<QueueMessage<T>, CancellationToken, Task> handler, ProcessingRun run,
        bool stopWhenEmpty, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before looking for work, so a pulse during the look still wakes this worker.
            var wake = _signal.WaitTask;
            if (!run.Buffer.TryDequeue(out var lease))
            {
                try
                {
                    // One claim leases enough items for every worker, so a busy queue costs one store write per batch, not per item.
                    var leases = await _store.TryClaimAsync(_timeProvider.GetUtcNow(), _options.LeaseDuration, _options.MaxDeliveryAttempts,
                        run.ClaimBatch, cancellationToken).ConfigureAwait(false);
                    if (leases.Count > 0)
                    {
                        lease = leases[0];
                        for (var i = 1; i < leases.Count; i++)
                        {
                            run.InFlight[leases[i].ItemId] = new InFlight(leases[i].LeaseToken);
                            run.Buffer.Enqueue(leases[i]);
                        }

                        if (leases.Count > 1)
                        {
                            _signal.Pulse(); // idle siblings: there is buffered work
                        }
                    }
                    else if (stopWhenEmpty && run.Buffer.IsEmpty
                        && (await _store.GetStatsAsync(cancellationToken).ConfigureAwait(false)).Active == 0)
                    {
                        _signal.Pulse(); // let idle siblings see the queue is empty too
                        return;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // storage trouble must not kill the worker: it is logged and retried after the poll interval
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.QueueStoreFailed(_logger, "claim", ex);
                    wake = Never; // only the poll interval ends the back-off
                }
            }

            if (lease is null)
            {
                await WaitForWorkAsync(wake, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await HandleAsync(handler, lease, run, cancellationToken).ConfigureAwait(false);
            _signal.Pulse(); // a sibling waiting for in-flight work to finish may now stop or claim a requeued item
        }
    }

    private async Task WaitForWorkAsync(Task wake, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = Task.Delay(_options.PollInterval, _timeProvider, cts.Token);
        await Task.WhenAny(wake, poll).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(Func<QueueMessage<T>, CancellationToken, Task> handler, QueueLease lease, ProcessingRun run,
        CancellationToken cancellationToken)
    {
        var inFlight = run.InFlight;
        if (!TryDeserialize(lease.Payload, out var item, out var readError))
        {
            inFlight.TryRemove(lease.ItemId, out _);
            Log.QueueItemUnreadable(_logger, lease.ItemId, readError!);
            await FailAsync(lease, "The item could not be deserialized as " + typeof(T).Name + ": " + readError!.Message, maxAttempts: 1).ConfigureAwait(false);
            return;
        }

        using var itemCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var entry = inFlight.GetOrAdd(lease.ItemId, static (_, token) => new InFlight(token), lease.LeaseToken);
        if (!entry.Attach(itemCts))
        {
            // The lease was lost while the item waited in the buffer.
            inFlight.TryRemove(lease.ItemId, out _);
            DurableTelemetry.QueueDeliveries.Add(1, LeaseLost);
            Log.QueueLeaseLost(_logger, lease.ItemId);
            return;
        }

        var completing = false;
        try
        {
            var message = new QueueMessage<T>(lease.ItemId, item!, lease.Priority, lease.DeliveryAttempt, lease.EnqueuedAt, lease.LastError);
            try
            {
                await _executor.ExecuteAsync(DurableQueueConstants.HandlerOperationName, async ct =>
                {
                    await handler(message, ct).ConfigureAwait(false);
                    return true;
                }, itemCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await StoreSafelyAsync("release", () => _store.ReleaseAsync(lease.ItemId, lease.LeaseToken, CancellationToken.None)).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (entry.LeaseLost)
            {
                DurableTelemetry.QueueDeliveries.Add(1, LeaseLost);
                Log.QueueLeaseLost(_logger, lease.ItemId);
                return;
            }
#pragma warning disable CA1031 // the handler's failure is the delivery's outcome, recorded in the store
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.QueueHandlerFailed(_logger, lease.ItemId, lease.DeliveryAttempt, ex);
                await FailAsync(lease, $"{ex.GetType().FullName}: {ex.Message}", _options.MaxDeliveryAttempts).ConfigureAwait(false);
                return;
            }

            // Not awaited: the worker moves on while the completion waits for the next group commit, so completions of
            // many items share one commit. Until it commits, the item counts as in flight; a crash before that redelivers it.
            completing = true; // the lease stays renewed until the completion commits
            _ = CompleteAsync(lease, run);
        }
        finally
        {
            if (!completing)
            {
                inFlight.TryRemove(lease.ItemId, out _);
            }
        }
    }

    private async Task CompleteAsync(QueueLease lease, ProcessingRun run)
    {
        if (!run.AddCompletion(lease))
        {
            return; // a flush in progress picks it up
        }

        // The flusher: a thread of its own, so the worker goes on; every completion added while one write commits
        // goes into the next write, so a busy queue completes many items per commit.
        await Task.Yield();
        while (run.TakeCompletions() is { Count: > 0 } batch)
        {
            IReadOnlyList<bool>? results = null;
            try
            {
                results = await _store.CompleteManyAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the leases expire and the items are delivered again: nothing is lost
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.QueueStoreFailed(_logger, "complete", ex);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                run.InFlight.TryRemove(batch[i].ItemId, out _);
                if (results is null || results[i])
                {
                    DurableTelemetry.QueueDeliveries.Add(1, Completed);
                }
                else
                {
                    DurableTelemetry.QueueDeliveries.Add(1, LeaseLost);
                    Log.QueueLeaseLost(_logger, batch[i].ItemId);
                }
            }

            run.EndCompletions(batch.Count);
            _signal.Pulse(); // a worker waiting for in-flight items to finish may now stop
        }
    }

    private async Task FailAsync(QueueLease lease, string error, int maxAttempts)
    {
        QueueFailureOutcome outcome;
        try
        {
            outcome = await _store.FailAsync(lease.ItemId, lease.LeaseToken, error, _timeProvider.GetUtcNow(), maxAttempts, CancellationToken.None)
                .ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the lease expires and the item is delivered again: nothing is lost
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.QueueStoreFailed(_logger, "fail", ex);
            return;
        }

        switch (outcome)
        {
            case QueueFailureOutcome.DeadLettered:
                DurableTelemetry.QueueDeliveries.Add(1, DeadLettered);
                Log.QueueItemDeadLettered(_logger, lease.ItemId, lease.DeliveryAttempt, error);
                break;
            case QueueFailureOutcome.Requeued:
                DurableTelemetry.QueueDeliveries.Add(1, Failed);
                break;
            default:
                DurableTelemetry.QueueDeliveries.Add(1, LeaseLost);
                Log.QueueLeaseLost(_logger, lease.ItemId);
                break;
        }
    }

    private async Task<bool> StoreSafelyAsync(string operation, Func<ValueTask<bool>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the lease expires and the item is delivered again: nothing is lost
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.QueueStoreFailed(_logger, operation, ex);
            return true; // not a lost lease: the failure is already logged
        }
    }

    private async Task RenewLeasesAsync(ConcurrentDictionary<long, InFlight> inFlight, CancellationToken stop)
    {
        var period = _options.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _timeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var renewed = 0;
            var expiresAt = _timeProvider.GetUtcNow() + _options.LeaseDuration;
            foreach (var (itemId, entry) in inFlight)
            {
                try
                {
                    if (await _store.RenewLeaseAsync(itemId, entry.LeaseToken, expiresAt, stop).ConfigureAwait(false))
                    {
                        renewed++;
                    }
                    else
                    {
                        entry.MarkLeaseLost();
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a failed renewal is retried at the next period; the lease may still be valid
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.QueueStoreFailed(_logger, "renew", ex);
                }
            }

            LeasesRenewed?.Invoke(renewed);
        }
    }

    private bool TryDeserialize(ReadOnlyMemory<byte> payload, out T? item, out Exception? error)
    {
        try
        {
            item = DurableCodec.Deserialize<T>(payload, _options.SerializerOptions);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            item = default;
            error = ex;
            return false;
        }
    }

    private sealed class ProcessingRun(int workerCount)
    {
        private readonly AsyncSignal _completionEnded = new();
        private readonly Lock _lock = new();
        private List<QueueLease> _completions = [];
        private bool _flushing;
        private int _pendingCompletions;

        /// <summary>
        /// How many items one claim leases: one worker claims for its idle siblings too. A single worker claims one at a
        /// time so strict priority order holds; leased-but-waiting items are renewed like the others.
        /// </summary>
        public int ClaimBatch { get; } = workerCount == 1 ? 1 : Math.Min(workerCount * 4, 64);

        public ConcurrentQueue<QueueLease> Buffer { get; } = new();

        public ConcurrentDictionary<long, InFlight> InFlight { get; } = new();

        /// <summary>Queues a completion; true when the caller must flush (no flush is running).</summary>
        public bool AddCompletion(QueueLease lease)
        {
            Interlocked.Increment(ref _pendingCompletions);
            lock (_lock)
            {
                _completions.Add(lease);
                if (_flushing)
                {
                    return false;
                }

                _flushing = true;
                return true;
            }
        }

        /// <summary>The completions queued so far; empty (and the flush over) when there are none.</summary>
        public List<QueueLease> TakeCompletions()
        {
            lock (_lock)
            {
                var taken = _completions;
                _completions = [];
                _flushing = taken.Count > 0;
                return taken;
            }
        }

        public void EndCompletions(int count)
        {
            Interlocked.Add(ref _pendingCompletions, -count);
            _completionEnded.Pulse();
        }

        public async Task CompletionsDrained()
        {
            while (true)
            {
                var ended = _completionEnded.WaitTask;
                if (Volatile.Read(ref _pendingCompletions) == 0)
                {
                    return;
                }

                await ended.ConfigureAwait(false);
            }
        }
    }

    private sealed class InFlight(long leaseToken)
    {
        private readonly Lock _lock = new();
        private CancellationTokenSource? _cts;
        private bool _leaseLost;

        public long LeaseToken { get; } = leaseToken;

        public bool LeaseLost
        {
            get
            {
                lock (_lock)
                {
                    return _leaseLost;
                }
            }
        }

        /// <summary>Links the handler's token; false when the lease was already lost.</summary>
        public bool Attach(CancellationTokenSource cts)
        {
            lock (_lock)
            {
                _cts = cts;
                return !_leaseLost;
            }
        }

        public void MarkLeaseLost()
        {
            CancellationTokenSource? cts;
            lock (_lock)
            {
                _leaseLost = true;
                cts = _cts;
            }

            try
            {
                cts?.Cancel(); // outside the lock: cancellation runs the handler's callbacks
            }
            catch (ObjectDisposedException)
            {
                // the handler finished meanwhile
            }
        }
    }
}
