using System.Threading.RateLimiting;
using Polly.RateLimiting;

namespace Steadfast.AI.Chat;

/// <summary>
/// A provider's bulkhead (<see cref="ChatProvider.MaxConcurrentRequests"/>, System.Threading.RateLimiting's
/// <see cref="ConcurrencyLimiter"/>, the one Polly.RateLimiting wraps) and quota (<see cref="ChatProvider.RequestsPerMinute"/>). A
/// refusal is Polly's <see cref="RateLimiterRejectedException"/>, which the engine treats as a rate limit: the provider is deferred,
/// never counted as down, and no request is sent.
/// </summary>
/// <remarks>
/// The quota is an exact sliding log of the last minute's requests on the injected <see cref="TimeProvider"/>: no 60-second span
/// ever holds more than the quota, and a refusal says when the oldest request leaves the window. (The BCL's replenishing limiters
/// read the wall clock even when replenished by hand, so they cannot run on a test's or the demo's virtual time.) The bulkhead's
/// lease is held for the whole call, for streaming until the stream ends.
/// </remarks>
internal sealed class ProviderLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly ConcurrencyLimiter? _concurrency;
    private readonly Queue<long>? _sent;
    private readonly int _perMinute;
    private readonly TimeProvider _time;

    public ProviderLimiter(ChatProvider provider, TimeProvider time)
    {
        _time = time;
        if (provider.MaxConcurrentRequests is { } concurrent)
        {
            _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 });
        }

        if (provider.RequestsPerMinute is { } perMinute)
        {
            _perMinute = perMinute;
            _sent = new Queue<long>(perMinute);
        }
    }

    /// <summary>Whether the provider has any limit (most do not: their calls skip the limiter entirely).</summary>
    public bool IsLimited => _concurrency is not null || _sent is not null;

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

        if (_sent is not null && !TryTakeQuota(out var wait))
        {
            concurrency?.Dispose();
            throw new RateLimiterRejectedException($"Provider '{provider}' used its RequestsPerMinute quota.", wait);
        }

        return new Lease(concurrency);
    }

    public void Dispose() => _concurrency?.Dispose();

    private bool TryTakeQuota(out TimeSpan wait)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            while (_sent!.Count > 0 && _time.GetElapsedTime(_sent.Peek(), now) >= Window)
            {
                _sent.Dequeue();
            }

            if (_sent.Count < _perMinute)
            {
                _sent.Enqueue(now);
                wait = TimeSpan.Zero;
                return true;
            }

            wait = Window - _time.GetElapsedTime(_sent.Peek(), now);
            return false;
        }
    }

    /// <summary>The permits of one call; disposing gives the bulkhead's permit back (a quota slot stays used for its minute).</summary>
    public readonly struct Lease(RateLimitLease? concurrency) : IDisposable
    {
        public void Dispose() => concurrency?.Dispose();
    }
}
