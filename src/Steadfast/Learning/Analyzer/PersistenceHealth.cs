using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Whether the failure store works, when to try it again, and the one error (and one recovery) logged per outage.
/// Lock-free: two fields, each changed atomically; a reader may see a retry time a moment old, which only moves the
/// next attempt by one loop of the writer.
/// </summary>
internal sealed class PersistenceHealth(TimeProvider timeProvider, TimeSpan retryInterval, ILogger logger, string storeName)
{
    private int _unhealthy;
    private long _nextRetryAtTicks;

    public bool IsHealthy => Volatile.Read(ref _unhealthy) == 0;

    /// <summary>When an unhealthy store may be tried again.</summary>
    public DateTimeOffset RetryAt => new(Volatile.Read(ref _nextRetryAtTicks), TimeSpan.Zero);

    /// <summary>Whether the store may be used now: healthy, or its retry time has come.</summary>
    public bool MayTry(DateTimeOffset now) => IsHealthy || now >= RetryAt;

    public void MarkUnhealthy(Exception ex)
    {
        LearningMetrics.StoreErrors.Add(1);
        Volatile.Write(ref _nextRetryAtTicks, (timeProvider.GetUtcNow() + retryInterval).UtcTicks);
        if (Interlocked.Exchange(ref _unhealthy, 1) == 0)
        {
            Log.PersistenceUnavailable(logger, storeName, retryInterval, ex.Message, ex);
        }
    }

    /// <summary>Marks the store as working.</summary>
    /// <param name="pending">The writes that waited, for the log.</param>
    /// <returns><see langword="true"/> when this ends an outage.</returns>
    public bool MarkHealthy(int pending)
    {
        if (Interlocked.Exchange(ref _unhealthy, 0) == 1)
        {
            Log.PersistenceRestored(logger, storeName, pending);
            return true;
        }

        return false;
    }
}
