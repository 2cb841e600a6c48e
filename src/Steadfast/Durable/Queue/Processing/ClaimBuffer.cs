using System.Collections.Concurrent;

namespace Steadfast;

/// <summary>
/// Leases one worker claimed for its idle siblings: one claim leases enough items for every worker, so a busy queue
/// costs one store write per batch, not per item. Buffered leases are in flight (renewed) until handled or given back.
/// </summary>
internal sealed class ClaimBuffer(int workerCount, InFlightLeases inFlight)
{
    private readonly ConcurrentQueue<QueueLease> _leases = new();

    /// <summary>
    /// How many items one claim leases. A single worker claims one at a time so strict priority order holds.
    /// </summary>
    public int BatchSize { get; } = workerCount == 1 ? 1 : Math.Min(workerCount * 4, 64);

    public bool IsEmpty => _leases.IsEmpty;

    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QueueLease? lease) => _leases.TryDequeue(out lease);

    /// <summary>Keeps every lease of a claim but the first (which the claiming worker handles itself) for the siblings.</summary>
    /// <returns>Whether any lease was buffered.</returns>
    public bool HoldAllButFirst(IReadOnlyList<QueueLease> leases)
    {
        for (var i = 1; i < leases.Count; i++)
        {
            inFlight.Track(leases[i]); // before it can be taken, so it is renewed from the start
            _leases.Enqueue(leases[i]);
        }

        return leases.Count > 1;
    }
}
