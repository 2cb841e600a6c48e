namespace Steadfast;

/// <summary>An item leased to one worker by <see cref="IQueueStore.TryClaimAsync"/>.</summary>
/// <param name="ItemId">The item's id (unique and increasing within the queue).</param>
/// <param name="LeaseToken">Proves the lease in later calls; changes with every claim.</param>
/// <param name="Payload">The serialized item.</param>
/// <param name="Priority">The item's priority.</param>
/// <param name="DeliveryAttempt">Which delivery this is, 1 for the first.</param>
/// <param name="EnqueuedAt">When the item was enqueued.</param>
/// <param name="LeaseExpiresAt">When the lease expires unless renewed.</param>
/// <param name="LastError">The error of the previous failed delivery, if any.</param>
public sealed record QueueLease(
    long ItemId,
    long LeaseToken,
    ReadOnlyMemory<byte> Payload,
    int Priority,
    int DeliveryAttempt,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset LeaseExpiresAt,
    string? LastError);
