using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// One delivery of one leased item: reads it, runs the handler (through the executor) on a token that the caller's
/// cancellation and the loss of the lease both cancel, and records the outcome: completed (through the
/// <see cref="CompletionBatcher"/>), failed (delivered again) or dead-lettered after its last attempt, given back
/// uncounted when the caller cancels, or dropped when another worker took the lease.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class QueueDelivery<T>(QueueServices services, Func<QueueMessage<T>, CancellationToken, Task> handler,
    InFlightLeases inFlight, CompletionBatcher completions)
{
    /// <summary>Delivers one item; never throws (every outcome is recorded in the store or logged).</summary>
    public async Task DeliverAsync(QueueLease lease, CancellationToken cancellationToken)
    {
        if (!DurableCodec.TryDeserialize<T>(lease.Payload, services.Options.SerializerOptions, out var item, out var readError))
        {
            inFlight.Remove(lease.ItemId);
            Log.QueueItemUnreadable(services.Logger, lease.ItemId, readError);
            await FailAsync(lease, "The item could not be deserialized as " + typeof(T).Name + ": " + readError.Message, maxAttempts: 1).ConfigureAwait(false);
            return;
        }

        using var itemCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var entry = inFlight.GetOrTrack(lease);
        if (!entry.Attach(itemCts))
        {
            // The lease was lost while the item waited in the buffer.
            inFlight.Remove(lease.ItemId);
            services.RecordLeaseLost(lease.ItemId);
            return;
        }

        var completing = false;
        try
        {
            var message = new QueueMessage<T>(lease.ItemId, item!, lease.Priority, lease.DeliveryAttempt, lease.EnqueuedAt, lease.LastError);
            try
            {
                await services.Executor.ExecuteAsync(DurableQueueConstants.HandlerOperationName, async ct =>
                {
                    await handler(message, ct).ConfigureAwait(false);
                    return true;
                }, itemCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await services.ReleaseQuietlyAsync(lease).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (entry.LeaseLost)
            {
                services.RecordLeaseLost(lease.ItemId);
                return;
            }
#pragma warning disable CA1031 // the handler's failure is the delivery's outcome, recorded in the store
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.QueueHandlerFailed(services.Logger, lease.ItemId, lease.DeliveryAttempt, ex);
                await FailAsync(lease, $"{ex.GetType().FullName}: {ex.Message}", services.Options.MaxDeliveryAttempts).ConfigureAwait(false);
                return;
            }

            completing = true; // the item stays in flight, its lease renewed, until the completion commits
            completions.Complete(lease);
        }
        finally
        {
            if (!completing)
            {
                inFlight.Remove(lease.ItemId);
            }
        }
    }

    private async Task FailAsync(QueueLease lease, string error, int maxAttempts)
    {
        // The error is stored with the item (the next delivery's LastError, a dead letter's error): never with a secret.
        error = SecretRedactor.RedactText(error);
        QueueFailureOutcome outcome;
        try
        {
            outcome = await services.Store.FailAsync(lease.ItemId, lease.LeaseToken, error, services.TimeProvider.GetUtcNow(), maxAttempts,
                CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the lease expires and the item is delivered again: nothing is lost
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.QueueStoreFailed(services.Logger, "fail", ex);
            return;
        }

        switch (outcome)
        {
            case QueueFailureOutcome.DeadLettered:
                DurableTelemetry.QueueDeliveries.Add(1, DurableTelemetry.QueueDeadLettered);
                Log.QueueItemDeadLettered(services.Logger, lease.ItemId, lease.DeliveryAttempt, error);
                break;
            case QueueFailureOutcome.Requeued:
                DurableTelemetry.QueueDeliveries.Add(1, DurableTelemetry.QueueFailed);
                break;
            default:
                services.RecordLeaseLost(lease.ItemId);
                break;
        }
    }
}
