namespace Steadfast;

/// <summary>
/// What the engine learned from rate limits, across executions: a strategy answered "too many requests, come back in N"
/// (HTTP 429 with <c>Retry-After</c>, <see cref="Polly.RateLimiting.RateLimiterRejectedException"/>), so no execution calls
/// it again for (operation, strategy) before then. Without this, every new call would spend a request to hear the same
/// answer. A rate limit never counts against the strategy (circuit, blacklist, success rate): the service is up.
/// </summary>
/// <remarks>
/// <para>
/// <b>Pacing.</b> A short retry-after (up to <see cref="ResilienceConstants.RateLimitPaceMaximum"/>) means the service meters
/// calls one by one (a token bucket): when its deferral ends it has room for one call, and the next one is refused again.
/// So after such a hint the engine also <i>paces</i> the strategy: each success defers it for the longest short hint seen,
/// which is the service's own spacing, and no request is spent on a refusal the engine could have predicted. Pacing ends
/// <see cref="ResilienceConstants.RateLimitPaceMemory"/> after the last refusal, so a quota that grew is found out. A long
/// retry-after (a window quota) is waited out and never paced: pacing at a minute per call would throttle a quota of
/// thousands per minute to one.
/// </para>
/// <para>Lock-free to read while nothing is deferred or paced, which is nearly always.</para>
/// </remarks>
internal sealed class RateLimitDeferrals(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Operation, string Strategy), long> _until = [];
    private readonly Dictionary<(string Operation, string Strategy), Pace> _paces = [];
    private volatile int _count;

    /// <summary>
    /// A rate limit answered with <paramref name="retryAfter"/>: defers (operation, strategy) for it from now (never
    /// shortening a longer deferral), and paces the strategy when the hint is short.
    /// </summary>
    public void Defer(string operation, string strategy, TimeSpan retryAfter)
    {
        if (retryAfter <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetTimestamp();
        lock (_lock)
        {
            DeferUntil_NeedsLock((operation, strategy), now + ToTicks(retryAfter));
            if (retryAfter <= ResilienceConstants.RateLimitPaceMaximum)
            {
                var interval = _paces.TryGetValue((operation, strategy), out var pace) && IsCurrent(pace, now) && pace.Interval > retryAfter
                    ? pace.Interval
                    : retryAfter;
                _paces[(operation, strategy)] = new Pace(interval, now);
            }

            _count = _until.Count + _paces.Count;
        }
    }

    /// <summary>A call of (operation, strategy) succeeded: a paced strategy waits its spacing before the next call.</summary>
    public void Succeeded(string operation, string strategy)
    {
        if (_count == 0)
        {
            return;
        }

        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_paces.TryGetValue((operation, strategy), out var pace))
            {
                return;
            }

            if (IsCurrent(pace, now))
            {
                DeferUntil_NeedsLock((operation, strategy), now + ToTicks(pace.Interval));
            }
            else
            {
                _paces.Remove((operation, strategy));
            }

            _count = _until.Count + _paces.Count;
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

                _count = _until.Count + _paces.Count;
                return false;
            }

            remaining = time.GetElapsedTime(now, until);
            return true;
        }
    }

    private void DeferUntil_NeedsLock((string, string) key, long until)
    {
        if (!_until.TryGetValue(key, out var current) || current < until)
        {
            _until[key] = until;
        }
    }

    private bool IsCurrent(Pace pace, long now) => time.GetElapsedTime(pace.LastRefusal, now) <= ResilienceConstants.RateLimitPaceMemory;

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    /// <summary>The spacing a strategy's rate limit asks for, and when it last refused a call.</summary>
    private readonly record struct Pace(TimeSpan Interval, long LastRefusal);
}
