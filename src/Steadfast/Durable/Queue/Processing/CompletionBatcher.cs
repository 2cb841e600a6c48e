using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Group completion: a worker hands over a handled item and moves on while its completion waits for the next store
/// write, so completions of many items share one commit. Until it commits, the item stays in flight (its lease is
/// renewed); a crash before that delivers it again. <see cref="DrainAsync"/> waits for every handed-over completion.
/// </summary>
internal sealed class CompletionBatcher(QueueServices services, InFlightLeases inFlight)
{
    private readonly AsyncSignal _completionEnded = new();
    private readonly Lock _lock = new();
    private List<QueueLease> _completions = [];
    private bool _flushing;
    private int _pendingCompletions;

    /// <summary>Queues the completion of a handled item; starts a flusher when none is running. Does not wait for the commit.</summary>
    public void Complete(QueueLease lease)
    {
        if (TryBecomeFlusher(lease))
        {
            _ = FlushAsync();
        }
    }

    /// <summary>Completes when no handed-over completion is waiting for its commit.</summary>
    public async Task DrainAsync()
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

    /// <summary>Queues a completion; true when the caller must flush (no flush is running).</summary>
    private bool TryBecomeFlusher(QueueLease lease)
    {
        Interlocked.Increment(ref _pendingCompletions);
        lock (_lock)
        {
            _completions.Add(lease);
            if (_flushing)
            {
                return false; // a flush in progress picks it up
            }

            _flushing = true;
            return true;
        }
    }

    /// <summary>The completions queued so far; empty (and the flush over) when there are none.</summary>
    private List<QueueLease> TakeCompletions()
    {
        lock (_lock)
        {
            var taken = _completions;
            _completions = [];
            _flushing = taken.Count > 0;
            return taken;
        }
    }

    private async Task FlushAsync()
    {
        // The flusher: a thread of its own, so the worker goes on; every completion added while one write commits
        // goes into the next write, so a busy queue completes many items per commit.
        await Task.Yield();
        while (TakeCompletions() is { Count: > 0 } batch)
        {
            IReadOnlyList<bool>? results = null;
            try
            {
                results = await services.Store.CompleteManyAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the leases expire and the items are delivered again: nothing is lost
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.QueueStoreFailed(services.Logger, "complete", ex);
            }

            for (var i = 0; i < batch.Count; i++)
            {
                inFlight.Remove(batch[i].ItemId);
                if (results is null || results[i])
                {
                    DurableTelemetry.QueueDeliveries.Add(1, DurableTelemetry.QueueCompleted);
                }
                else
                {
                    services.RecordLeaseLost(batch[i].ItemId);
                }
            }

            Interlocked.Add(ref _pendingCompletions, -batch.Count);
            _completionEnded.Pulse();
            services.WorkSignal.Pulse(); // a worker waiting for in-flight items to finish may now stop
        }
    }
}
