namespace Steadfast;

/// <summary>
/// One lease this processing run holds, from claim to commit: its token (what the renewer renews), whether the store
/// said it is gone, and the token source of the handler running on it, cancelled when the lease is lost.
/// </summary>
internal sealed class InFlightLease(long leaseToken)
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _handlerCts;
    private bool _leaseLost;

    public long LeaseToken { get; } = leaseToken;

    public bool LeaseLost
    {
        get
        {
            lock (_lock)
            {
                return _leaseLost;
            }
        }
    }

    /// <summary>Links the handler's token; false when the lease was already lost.</summary>
    public bool Attach(CancellationTokenSource handlerCts)
    {
        lock (_lock)
        {
            _handlerCts = handlerCts;
            return !_leaseLost;
        }
    }

    public void MarkLeaseLost()
    {
        CancellationTokenSource? cts;
        lock (_lock)
        {
            _leaseLost = true;
            cts = _handlerCts;
        }

        try
        {
            cts?.Cancel(); // outside the lock: cancellation runs the handler's callbacks
        }
        catch (ObjectDisposedException)
        {
            // the handler finished meanwhile
        }
    }
}
