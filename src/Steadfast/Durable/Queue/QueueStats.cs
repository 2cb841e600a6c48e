namespace Steadfast;

/// <summary>The counts of a durable queue's items.</summary>
/// <param name="Pending">Items waiting for delivery.</param>
/// <param name="InFlight">Items leased to a worker (including leases that expired and are not yet reclaimed).</param>
/// <param name="Completed">Items completed since the queue was created.</param>
/// <param name="DeadLettered">Items now in the dead-letter list.</param>
public readonly record struct QueueStats(long Pending, long InFlight, long Completed, long DeadLettered)
{
    /// <summary>Pending plus in-flight items: what counts against <see cref="DurableQueueOptions.MaxSize"/>.</summary>
    public long Active => Pending + InFlight;
}
