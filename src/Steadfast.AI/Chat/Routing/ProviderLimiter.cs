using System.Threading.RateLimiting;
using Polly.RateLimiting;

namespace Steadfast.AI.Chat;

/// <summary>
/// A provider's bulkhead (<see cref="ChatProvider.MaxConcurrentRequests"/>) and quota (<see cref="ChatProvider.RequestsPerMinute"/>) on
/// the System.Threading.RateLimiting limiters Polly.RateLimiting wraps. A refusal is Polly's <see cref="RateLimiterRejectedException"/>,
/// which the engine treats as a rate limit: the provider is deferred, never counted as down, and no request is sent.
/// </summary>
/// <remarks>
/// The quota is a sliding window of one minute in six segments, replenished by a timer on the injected <see cref="TimeProvider"/>
/// (the limiter's own timer would run on the wall clock): no minute-long window aligned to a segment ever holds more than the quota.
/// Leases are held for the whole call, for streaming until the stream ends.
/// </remarks>
internal sealed class ProviderLimiter : IDisposable
{
    private const int Segments = 6;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SegmentLength = Window / Segments;

    private readonly ConcurrencyLimiter? _concurrency;
    private readonly SlidingWindowRateLimiter? _quota;
    private readonly ITimer? _replenisher;
    private readonly TimeProvider _time;
    private long _nextReplenishTimestamp;

    public ProviderLimiter(ChatProvider provider, TimeProvider time)
    {
        _time = time;
        if (provider.MaxConcurrentRequests is { } concurrent)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 });
        }

        if (provider.RequestsPerMinute is { } perMinute)
        {
            _quota = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = perMinute, Window = Window, SegmentsPerWindow = Segments, QueueLimit = 0, AutoReplenishment = false,
            });
            Volatile.Write(ref _nextReplenishTimestamp, time.GetTimestamp() + TicksOf(SegmentLength));
            _replenisher = time.CreateTimer(_ => Replenish(), null, SegmentLength, SegmentLength);
        }
    }

    /// <summary>Whether the provider has any limit (most do not: their calls skip the limiter entirely).</summary>
    public bool IsLimited => _concurrency is not null || _quota is not null;

    /// <summary>Takes a permit of each limit, or throws the rejection with the time until the quota frees a request.</summary>
    public Lease Acquire(string provider)
    {
        RateLimitLease? concurrency = null;
        if (_concurrency is not null)
        {
            concurrency = _concurrency.AttemptAcquire();
            if (!concurrency.IsAcquired)
            {
                concurrency.Dispose();
                throw new RateLimiterRejectedException($"Provider '{provider}' has its MaxConcurrentRequests in flight.");
            }
        }

        if (_quota is not null)
        {
            var quota = _quota.AttemptAcquire();
            if (!quota.IsAcquired)
            {
                quota.Dispose();
                concurrency?.Dispose();
                var wait = _time.GetElapsedTime(_time.GetTimestamp(), Volatile.Read(ref _nextReplenishTimestamp));
                throw new RateLimiterRejectedException($"Provider '{provider}' used its RequestsPerMinute quota.", wait > TimeSpan.Zero ? wait : SegmentLength);
            }

            // A sliding-window permit is not given back: the request counts in its minute whatever happens to it.
            quota.Dispose();
        }

        return new Lease(concurrency);
    }

    public void Dispose()
    {
        _replenisher?.Dispose();
        _quota?.Dispose();
        _concurrency?.Dispose();
    }

    private void Replenish()
    {
        Volatile.Write(ref _nextReplenishTimestamp, _time.GetTimestamp() + TicksOf(SegmentLength));
        _quota?.TryReplenish();
    }

    private long TicksOf(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>The permits of one call; disposing gives the bulkhead's permit back.</summary>
    public readonly struct Lease(RateLimitLease? concurrency) : IDisposable
    {
        public void Dispose() => concurrency?.Dispose();
    }
}
