namespace Steadfast;

/// <summary>
/// What the engine learned from rate limits, across executions: a strategy answered "too many requests, come back in N"
/// (HTTP 429 with <c>Retry-After</c>, <see cref="Polly.RateLimiting.RateLimiterRejectedException"/>), so no execution calls
/// it again for (operation, strategy) before then. Without this, every new call would spend a request to hear the same
/// answer. A rate limit never counts against the strategy (circuit, blacklist, success rate): the service is up.
/// </summary>
/// <remarks>Lock-free to read while nothing is deferred, which is nearly always.</remarks>
internal sealed class RateLimitDeferrals(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Operation, string Strategy), long> _until = [];
    private volatile int _count;

    /// <summary>Defers (operation, strategy) for <paramref name="retryAfter"/> from now (never shortens a longer deferral).</summary>
    public void Defer(string operation, string strategy, TimeSpan retryAfter)
    {
        if (retryAfter <= TimeSpan.Zero)
        {
            return;
        }

        var until = time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency);
        lock (_lock)
        {
            if (!_until.TryGetValue((operation, strategy), out var current) || current < until)
            {
                _until[(operation, strategy)] = until;
                _count = _until.Count;
            }
        }
    }

    /// <summary>Whether (operation, strategy) is deferred now, and for how much longer.</summary>
    public bool IsDeferred(string operation, string strategy, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (_count == 0)
        {
            return false;
        }

        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_until.TryGetValue((operation, strategy), out var until))
            {
                return false;
            }

            if (until <= now)
            {
                _until.Remove((operation, strategy));
                _count = _until.Count;
                return false;
            }

            remaining = time.GetElapsedTime(now, until);
            return true;
        }
    }
}
