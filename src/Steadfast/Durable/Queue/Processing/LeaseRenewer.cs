using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Renews every lease a processing run holds each third of <see cref="DurableQueueOptions.LeaseDuration"/>, so a
/// handler that runs longer than one lease keeps its item; a lease the store no longer knows is marked lost, which
/// cancels its handler. Runs from <see cref="Start"/> until <see cref="StopAsync"/>.
/// </summary>
internal sealed class LeaseRenewer
{
    private readonly QueueServices _services;
    private readonly InFlightLeases _inFlight;
    private readonly Action<int> _renewed;
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    private LeaseRenewer(QueueServices services, InFlightLeases inFlight, Action<int> renewed, CancellationToken cancellationToken)
    {
        _services = services;
        _inFlight = inFlight;
        _renewed = renewed;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loop = Task.Run(() => RenewLoopAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Starts renewing.</summary>
    /// <param name="services">The queue's store, options and clock.</param>
    /// <param name="inFlight">The leases to renew.</param>
    /// <param name="renewed">Called after each round with the number of leases renewed.</param>
    /// <param name="cancellationToken">The caller's token: renewal stops with it as well as with <see cref="StopAsync"/>.</param>
    public static LeaseRenewer Start(QueueServices services, InFlightLeases inFlight, Action<int> renewed, CancellationToken cancellationToken)
        => new(services, inFlight, renewed, cancellationToken);

    /// <summary>Stops renewing and waits for a round under way to end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RenewLoopAsync(CancellationToken stop)
    {
        var options = _services.Options;
        var period = options.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _services.TimeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var renewed = 0;
            var expiresAt = _services.TimeProvider.GetUtcNow() + options.LeaseDuration;
            foreach (var (itemId, entry) in _inFlight.Current)
            {
                try
                {
                    if (await _services.Store.RenewLeaseAsync(itemId, entry.LeaseToken, expiresAt, stop).ConfigureAwait(false))
                    {
                        renewed++;
                    }
                    else
                    {
                        entry.MarkLeaseLost();
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a failed renewal is retried at the next period; the lease may still be valid
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.QueueStoreFailed(_services.Logger, "renew", ex);
                }
            }

            _renewed(renewed);
        }
    }
}
