namespace Steadfast;

/// <summary>
/// Reuses the cancellation sources that carry an execution's deadline, so the happy path allocates none.
/// A source goes back only when it was never cancelled and its timer was stopped (<see cref="CancellationTokenSource.TryReset"/>).
/// </summary>
internal sealed class DeadlinePool(TimeProvider timeProvider)
{
    private readonly CancellationTokenSource?[] _slots = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount * 2, 4, 64)];

    public Lease Rent(TimeSpan deadline, CancellationToken callerToken)
    {
        CancellationTokenSource? cts = null;
        for (var i = 0; i < _slots.Length && cts is null; i++)
        {
            if (Volatile.Read(ref _slots[i]) is not null)
            {
                cts = Interlocked.Exchange(ref _slots[i], null);
            }
        }

#pragma warning disable CA2000 // the source goes to the caller in the lease; Return disposes it or pools it again
        cts ??= new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
#pragma warning restore CA2000
        cts.CancelAfter(deadline);
        var registration = callerToken.CanBeCanceled
            ? callerToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), cts)
            : default;
        return new Lease(cts, registration);
    }

    public void Return(Lease lease)
    {
        lease.Registration.Dispose();
        var cts = lease.Source;
        if (!cts.IsCancellationRequested)
        {
            cts.CancelAfter(Timeout.InfiniteTimeSpan);
            if (cts.TryReset())
            {
                for (var i = 0; i < _slots.Length; i++)
                {
                    if (Volatile.Read(ref _slots[i]) is null && Interlocked.CompareExchange(ref _slots[i], cts, null) is null)
                    {
                        return;
                    }
                }
            }
        }

        cts.Dispose();
    }

    internal readonly record struct Lease(CancellationTokenSource Source, CancellationTokenRegistration Registration)
    {
        public CancellationToken Token => Source.Token;
    }
}
