using System.Collections.Concurrent;

namespace Steadfast;

/// <summary>
/// The leases one processing run holds: items waiting in the <see cref="ClaimBuffer"/>, being handled, or waiting for
/// their completion to commit. The <see cref="LeaseRenewer"/> renews exactly these; an item leaves when its outcome is
/// recorded (or given back), so its lease is renewed until then.
/// </summary>
internal sealed class InFlightLeases
{
    private readonly ConcurrentDictionary<long, InFlightLease> _leases = new();

    /// <summary>Starts renewing a lease claimed for later (buffered).</summary>
    public void Track(QueueLease lease) => _leases[lease.ItemId] = new InFlightLease(lease.LeaseToken);

    /// <summary>The entry of a lease about to be handled, tracked now if it was not buffered.</summary>
    public InFlightLease GetOrTrack(QueueLease lease)
        => _leases.GetOrAdd(lease.ItemId, static (_, token) => new InFlightLease(token), lease.LeaseToken);

    public void Remove(long itemId) => _leases.TryRemove(itemId, out _);

    /// <summary>The leases held now; safe to enumerate while workers add and remove.</summary>
    public IEnumerable<KeyValuePair<long, InFlightLease>> Current => _leases;
}
