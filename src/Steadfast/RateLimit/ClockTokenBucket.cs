using System.Threading.RateLimiting;

namespace Steadfast;

/// <summary>
/// A token bucket on an injected <see cref="TimeProvider"/>. The runtime's <see cref="TokenBucketRateLimiter"/>
/// measures elapsed time with <c>Stopwatch</c> even when replenished by hand, so tests could not drive it; this one
/// refills lazily from the clock on each acquire (no timer) and never queues: an empty bucket rejects at once with
/// the exact wait until enough tokens are back (<see cref="MetadataName.RetryAfter"/>).
/// </summary>
internal sealed class ClockTokenBucket : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly long _capacity;
    private readonly long _tokensPerPeriod;
    private readonly TimeSpan _period;
    private readonly long _periodTimestamp;
    private long _tokens;
    private long _lastRefill;
    private long _successful;
    private long _failed;

    public ClockTokenBucket(int capacity, int tokensPerPeriod, TimeSpan period, TimeProvider clock)
    {
        _clock = clock;
        _capacity = capacity;
        _tokensPerPeriod = tokensPerPeriod;
        _period = period;
        _periodTimestamp = Math.Max(1, (long)(period.Ticks * (double)clock.TimestampFrequency / TimeSpan.TicksPerSecond));
        _tokens = capacity;
        _lastRefill = clock.GetTimestamp();
    }

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill_NeedsLock();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _capacity);
        lock (_lock)
        {
            Refill_NeedsLock();
            if (_tokens >= Math.Max(1, permitCount))
            {
                _tokens -= permitCount;
                _successful++;
                return Lease.Acquired;
            }

            _failed++;
            var missing = Math.Max(1, permitCount) - _tokens;
            var periods = (missing + _tokensPerPeriod - 1) / _tokensPerPeriod;
            var sinceRefill = _clock.GetElapsedTime(_lastRefill);
            return new Lease(false, (_period * periods) - sinceRefill);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<RateLimitLease>(AttemptAcquireCore(permitCount));
    }

    private void Refill_NeedsLock()
    {
        var now = _clock.GetTimestamp();
        var periods = (now - _lastRefill) / _periodTimestamp;
        if (periods <= 0)
        {
            return;
        }

        // Whole periods only, keeping the remainder, so refills stay on the period grid however often we look.
        _lastRefill += periods * _periodTimestamp;
        _tokens = (long)Math.Min(_capacity, _tokens + ((double)periods * _tokensPerPeriod));
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        private static readonly string[] RetryAfterOnly = [MetadataName.RetryAfter.Name];

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : RetryAfterOnly;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
