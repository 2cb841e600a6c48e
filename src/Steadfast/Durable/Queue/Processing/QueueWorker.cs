using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// The loop of one worker: takes a lease from the <see cref="ClaimBuffer"/> or claims a batch from the store, delivers
/// it, and when there is no work waits for a wake-up or the poll interval. With stop-when-empty it returns once nothing
/// is pending or in flight; it returns when the caller cancels.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class QueueWorker<T>(QueueServices services, ClaimBuffer buffer, QueueDelivery<T> delivery, bool stopWhenEmpty)
{
    private static readonly Task Never = new TaskCompletionSource().Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var signal = services.WorkSignal;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before looking for work, so a pulse during the look still wakes this worker.
            var wake = signal.WaitTask;
            if (!buffer.TryTake(out var lease))
            {
                try
                {
                    (lease, var stop) = await ClaimAsync(cancellationToken).ConfigureAwait(false);
                    if (stop)
                    {
                        signal.Pulse(); // let idle siblings see the queue is empty too
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
                    Log.QueueStoreFailed(services.Logger, "claim", ex);
                    wake = Never; // only the poll interval ends the back-off
                }
            }

            if (lease is null)
            {
                await WaitForWorkAsync(wake, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await delivery.DeliverAsync(lease, cancellationToken).ConfigureAwait(false);
            signal.Pulse(); // a sibling waiting for in-flight work to finish may now stop or claim a requeued item
        }
    }

    /// <summary>Claims a batch: the first lease to handle now, the rest buffered for siblings; or whether to stop (queue empty).</summary>
    private async Task<(QueueLease? Lease, bool Stop)> ClaimAsync(CancellationToken cancellationToken)
    {
        var options = services.Options;
        var leases = await services.Store.TryClaimAsync(services.TimeProvider.GetUtcNow(), options.LeaseDuration, options.MaxDeliveryAttempts,
            buffer.BatchSize, cancellationToken).ConfigureAwait(false);
        if (leases.Count > 0)
        {
            if (buffer.HoldAllButFirst(leases))
            {
                services.WorkSignal.Pulse(); // idle siblings: there is buffered work
            }

            return (leases[0], false);
        }

        var stop = stopWhenEmpty && buffer.IsEmpty
            && (await services.Store.GetStatsAsync(cancellationToken).ConfigureAwait(false)).Active == 0;
        return (null, stop);
    }

    private async Task WaitForWorkAsync(Task wake, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = Task.Delay(services.Options.PollInterval, services.TimeProvider, cts.Token);
        await Task.WhenAny(wake, poll).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
    }
}
