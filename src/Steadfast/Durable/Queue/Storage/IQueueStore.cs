namespace Steadfast;

/// <summary>
/// Keeps the items of one durable queue: pending, leased (in flight) and dead-lettered. Used by
/// <see cref="DurableQueue{T}"/>. Implementations: in memory (<see cref="InMemoryQueueStore"/>), SQLite
/// (<see cref="SqliteQueueStore"/>) and, later, Redis.
/// </summary>
/// <remarks>
/// Every operation is atomic, and safe when several workers (and, for shared stores, several processes) use
/// the same queue: an item is leased to one worker at a time. Claims return the highest priority first and,
/// within a priority, the oldest first. An item whose lease expired is claimable again; when it has already
/// been delivered <c>maxDeliveryAttempts</c> times it is dead-lettered instead.
/// </remarks>
public interface IQueueStore : IAsyncDisposable
{
    /// <summary>Adds an item unless the queue already holds <paramref name="maxSize"/> active (pending or in flight) items.</summary>
    /// <param name="payload">The serialized item.</param>
    /// <param name="priority">The priority; higher is delivered first.</param>
    /// <param name="enqueuedAt">The time of the enqueue.</param>
    /// <param name="maxSize">The most active items the queue may hold.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new item's id, or <see langword="null"/> when the queue is full. The item is durable when this completes.</returns>
    ValueTask<long?> TryEnqueueAsync(ReadOnlyMemory<byte> payload, int priority, DateTimeOffset enqueuedAt, long maxSize, CancellationToken cancellationToken = default);

    /// <summary>Adds several items at once, all or none: none is added unless all fit within <paramref name="maxSize"/>.</summary>
    /// <param name="payloads">The serialized items, in enqueue order.</param>
    /// <param name="priority">The priority of every item; higher is delivered first.</param>
    /// <param name="enqueuedAt">The time of the enqueue.</param>
    /// <param name="maxSize">The most active items the queue may hold.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new items' ids in order, or <see langword="null"/> when they do not all fit. The items are durable when this completes.</returns>
    ValueTask<IReadOnlyList<long>?> TryEnqueueManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, int priority, DateTimeOffset enqueuedAt, long maxSize,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="maxCount"/> items: the highest-priority, oldest pending items, including those whose
    /// lease expired. Counts one delivery attempt each. First dead-letters expired items already delivered
    /// <paramref name="maxDeliveryAttempts"/> times.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="leaseDuration">How long the leases last unless renewed.</param>
    /// <param name="maxDeliveryAttempts">The most deliveries an item gets.</param>
    /// <param name="maxCount">The most items to lease (at least 1).</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The leased items in delivery order; empty when none is available.</returns>
    ValueTask<IReadOnlyList<QueueLease>> TryClaimAsync(DateTimeOffset now, TimeSpan leaseDuration, int maxDeliveryAttempts, int maxCount,
        CancellationToken cancellationToken = default);

    /// <summary>Extends a lease.</summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="leaseToken">The token of the lease, from <see cref="QueueLease.LeaseToken"/>.</param>
    /// <param name="leaseExpiresAt">The new expiry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when the lease is no longer held (the item was claimed by another worker or removed).</returns>
    ValueTask<bool> RenewLeaseAsync(long itemId, long leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Removes a leased item as completed and counts it.</summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="leaseToken">The token of the lease.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when the lease is no longer held.</returns>
    ValueTask<bool> CompleteAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default);

    /// <summary>Removes several leased items as completed, in one write.</summary>
    /// <param name="leases">The leases of the items (their <see cref="QueueLease.ItemId"/> and <see cref="QueueLease.LeaseToken"/>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>For each lease, in order, whether it was still held (and its item is now completed).</returns>
    ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<QueueLease> leases, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a failed delivery: the item becomes pending again, or is dead-lettered with <paramref name="error"/>
    /// when it has been delivered <paramref name="maxDeliveryAttempts"/> times.
    /// </summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="leaseToken">The token of the lease.</param>
    /// <param name="error">What went wrong, kept as the item's last error.</param>
    /// <param name="now">The current time.</param>
    /// <param name="maxDeliveryAttempts">The most deliveries an item gets.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>What became of the item.</returns>
    ValueTask<QueueFailureOutcome> FailAsync(long itemId, long leaseToken, string error, DateTimeOffset now, int maxDeliveryAttempts, CancellationToken cancellationToken = default);

    /// <summary>Gives a leased item back without counting the delivery (a worker shutting down gracefully).</summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="leaseToken">The token of the lease.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when the lease is no longer held.</returns>
    ValueTask<bool> ReleaseAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default);

    /// <summary>Counts the items by state.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counts.</returns>
    ValueTask<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads dead-lettered items, oldest dead-lettered first.</summary>
    /// <param name="maxCount">The most items to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The dead letters.</returns>
    ValueTask<IReadOnlyList<StoredDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Moves a dead-lettered item back to pending with its delivery count reset.</summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/> when no dead letter has that id.</returns>
    ValueTask<bool> ReplayDeadLetterAsync(long itemId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every dead-lettered item.</summary>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many were deleted.</returns>
    ValueTask<int> PurgeDeadLettersAsync(CancellationToken cancellationToken = default);
}
