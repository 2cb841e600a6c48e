namespace Steadfast;

/// <summary>
/// One <see cref="DurableQueue{T}.ProcessMessagesAsync"/> call: its workers, the leases they hold, the lease renewer and
/// the completion batcher, all living as long as the call. Shutdown is graceful: once the workers stop, leases claimed
/// but never handled are given back uncounted, handed-over completions are committed, and only then does renewal stop
/// (so no lease lapses while its completion waits).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class QueueProcessor<T>
{
    private readonly QueueServices _services;
    private readonly int _workerCount;
    private readonly bool _stopWhenEmpty;
    private readonly Action<int> _leasesRenewed;
    private readonly InFlightLeases _inFlight = new();
    private readonly ClaimBuffer _buffer;
    private readonly CompletionBatcher _completions;
    private readonly QueueDelivery<T> _delivery;

    public QueueProcessor(QueueServices services, Func<QueueMessage<T>, CancellationToken, Task> handler, int workerCount, bool stopWhenEmpty,
        Action<int> leasesRenewed)
    {
        _services = services;
        _workerCount = workerCount;
        _stopWhenEmpty = stopWhenEmpty;
        _leasesRenewed = leasesRenewed;
        _buffer = new ClaimBuffer(workerCount, _inFlight);
        _completions = new CompletionBatcher(services, _inFlight);
        _delivery = new QueueDelivery<T>(services, handler, _inFlight, _completions);
    }

    /// <summary>Runs the workers until they stop (queue empty with stop-when-empty, or the caller cancelled), then shuts down.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var renewer = LeaseRenewer.Start(_services, _inFlight, _leasesRenewed, cancellationToken);
        var workers = new Task[_workerCount];
        for (var i = 0; i < _workerCount; i++)
        {
            var worker = new QueueWorker<T>(_services, _buffer, _delivery, _stopWhenEmpty);
            workers[i] = Task.Run(() => worker.RunAsync(cancellationToken), CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            // Claimed but never handled (the caller cancelled): give them back uncounted.
            while (_buffer.TryTake(out var unhandled))
            {
                _inFlight.Remove(unhandled.ItemId);
                await _services.ReleaseQuietlyAsync(unhandled).ConfigureAwait(false);
            }

            await _completions.DrainAsync().ConfigureAwait(false);
            await renewer.StopAsync().ConfigureAwait(false);
        }
    }
}
