using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// What every part of one <see cref="DurableQueue{T}"/> shares: the store, the validated copy of the options, the clock,
/// the logger, the executor handlers run through, and the signal that wakes idle workers. Immutable; one per queue object.
/// </summary>
internal sealed class QueueServices(IQueueStore store, DurableQueueOptions options, TimeProvider timeProvider, ILogger logger,
    IDurableExecutor executor)
{
    public IQueueStore Store { get; } = store;

    public DurableQueueOptions Options { get; } = options;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public ILogger Logger { get; } = logger;

    public IDurableExecutor Executor { get; } = executor;

    /// <summary>Pulsed whenever there may be new work, or in-flight work ended: enqueues, buffered claims, completions, replays.</summary>
    public AsyncSignal WorkSignal { get; } = new();

    /// <summary>Gives a lease back without counting the delivery; a store failure is logged, never thrown.</summary>
    public async Task ReleaseQuietlyAsync(QueueLease lease)
    {
        try
        {
            await Store.ReleaseAsync(lease.ItemId, lease.LeaseToken, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the lease expires and the item is delivered again: nothing is lost
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.QueueStoreFailed(Logger, "release", ex);
        }
    }

    /// <summary>Counts and logs a delivery whose lease another worker took: its result is not recorded here.</summary>
    public void RecordLeaseLost(long itemId)
    {
        DurableTelemetry.QueueDeliveries.Add(1, DurableTelemetry.QueueLeaseLost);
        Log.QueueLeaseLost(Logger, itemId);
    }
}
