namespace Steadfast;

/// <summary>A dead-lettered item as an <see cref="IQueueStore"/> keeps it (payload still serialized).</summary>
/// <param name="ItemId">The item's id.</param>
/// <param name="Payload">The serialized item.</param>
/// <param name="Priority">The item's priority.</param>
/// <param name="Attempts">How many deliveries it had.</param>
/// <param name="LastError">The error of its last delivery.</param>
/// <param name="EnqueuedAt">When it was enqueued.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
public sealed record StoredDeadLetter(
    long ItemId,
    ReadOnlyMemory<byte> Payload,
    int Priority,
    int Attempts,
    string? LastError,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DeadLetteredAt);
