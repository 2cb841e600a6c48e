namespace Steadfast.Cli.Demo;

/// <summary>
/// The quota of a rate-limited simulated provider: a token bucket of <c>callsPerSecond</c> tokens, refilled continuously,
/// on the demo's clock (so it runs in virtual time too). Thread-safe.
/// </summary>
/// <remarks>
/// Not <c>System.Threading.RateLimiting</c>'s <c>TokenBucketRateLimiter</c>: that one measures time with the system's
/// stopwatch, which virtual time cannot drive.
/// </remarks>
internal sealed class DemoQuota(int callsPerSecond, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly TimeSpan _refill = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / callsPerSecond);
    private double _tokens = callsPerSecond;
    private long _last = time.GetTimestamp();

    /// <summary>Takes a token; when none is left, says how long until the next one (the Retry-After of the 429).</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(callsPerSecond, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * callsPerSecond));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens--;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            // Whole milliseconds, rounded up, as rate limiters send them (Retry-After in seconds, or retry-after-ms): never "now".
            var ticks = (long)Math.Ceiling((1 - _tokens) * _refill.Ticks);
            retryAfter = TimeSpan.FromMilliseconds(Math.Ceiling((double)ticks / TimeSpan.TicksPerMillisecond));
            return false;
        }
    }
}
