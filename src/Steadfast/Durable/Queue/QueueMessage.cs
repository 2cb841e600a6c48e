namespace Steadfast;

/// <summary>An item being delivered to a handler, with what the handler may need to process it idempotently.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Id">The item's id: stable across redeliveries, so usable as an idempotency key.</param>
/// <param name="Item">The item.</param>
/// <param name="Priority">The item's priority.</param>
/// <param name="DeliveryAttempt">Which delivery this is, 1 for the first.</param>
/// <param name="EnqueuedAt">When the item was enqueued.</param>
/// <param name="PreviousError">The error of the previous failed delivery, if any.</param>
public sealed record QueueMessage<T>(long Id, T Item, int Priority, int DeliveryAttempt, DateTimeOffset EnqueuedAt, string? PreviousError)
{
    /// <summary>A key that is the same on every delivery of this item; pass it to services that deduplicate.</summary>
    public string IdempotencyKey => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"queue-item-{Id}");
}
