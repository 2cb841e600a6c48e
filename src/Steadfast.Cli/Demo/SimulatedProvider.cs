using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace Steadfast.Cli.Demo;

/// <summary>
/// A pretend remote service with a latency and a way of failing. Everything random comes from one seeded
/// source, so <c>--seed</c> repeats a run's decisions (thread timing still varies a little between runs).
/// </summary>
internal sealed class SimulatedProvider : IDisposable
{
    private readonly DemoRandom _random;
    private readonly TimeProvider _time;
    private readonly Func<double> _progress;
    private readonly FixedWindowRateLimiter? _quota;

    public SimulatedProvider(ProviderProfile profile, DemoRandom random, TimeProvider time, Func<double> progress)
    {
        Profile = profile;
        _random = random;
        _time = time;
        _progress = progress;
        if (profile.CallsPerSecond is { } limit)
        {
            _quota = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit, Window = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
            });
        }
    }

    public ProviderProfile Profile { get; }

    /// <summary>One call: waits the simulated latency, then answers or throws like the real service would.</summary>
    public async Task<string> CallAsync(CancellationToken cancellationToken)
    {
        if (_quota is not null)
        {
            using var lease = _quota.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var hint) ? hint : TimeSpan.FromSeconds(1);
                await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken);
                throw new ServiceException($"{Profile.Name}: 429 Too Many Requests (quota {Profile.CallsPerSecond}/s)", 429, retryAfter);
            }
        }

        var progress = _progress();
        var down = progress >= Profile.OutageFrom && progress < Profile.OutageUntil;
        var latency = down ? TimeSpan.FromMilliseconds(3) : _random.LogNormal(Profile.MedianLatency, 0.35);
        await Task.Delay(latency, _time, cancellationToken);

        if (down)
        {
            throw new HttpRequestException($"{Profile.Name}: connection refused", new SocketException((int)SocketError.ConnectionRefused));
        }

        if (Profile.FailureRate > 0 && _random.NextDouble() < Profile.FailureRate)
        {
            throw new ServiceException($"{Profile.Name}: 503 Service Unavailable", 503);
        }

        return $"quote from {Profile.Name}";
    }

    public void Dispose() => _quota?.Dispose();
}

/// <summary>How a simulated provider behaves.</summary>
/// <param name="Name">The strategy name the engine sees.</param>
/// <param name="Description">What it stands for, for the report.</param>
/// <param name="Priority">The priority the application gives it (the engine also ranks by what it learned).</param>
/// <param name="Cost">What one call costs, in dollars.</param>
/// <param name="MedianLatency">Typical latency when up.</param>
/// <param name="FailureRate">Share of calls failing transiently with HTTP 503.</param>
/// <param name="CallsPerSecond">A quota above which calls get HTTP 429 with Retry-After; none when null.</param>
/// <param name="OutageFrom">Start of a hard outage, as a fraction of the run (1 = never).</param>
/// <param name="OutageUntil">End of the outage, as a fraction of the run.</param>
internal sealed record ProviderProfile(
    string Name,
    string Description,
    double Priority,
    decimal Cost,
    TimeSpan MedianLatency,
    double FailureRate = 0,
    int? CallsPerSecond = null,
    double OutageFrom = 1,
    double OutageUntil = 1);

/// <summary>A seeded random source shared by the providers; thread-safe.</summary>
internal sealed class DemoRandom(int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public double NextDouble()
    {
        lock (_lock)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>A log-normal latency around <paramref name="median"/>: most calls near it, a long tail of slow ones.</summary>
    public TimeSpan LogNormal(TimeSpan median, double sigma)
    {
        double u1, u2;
        lock (_lock)
        {
            u1 = 1.0 - _random.NextDouble();
            u2 = _random.NextDouble();
        }

        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return TimeSpan.FromMilliseconds(median.TotalMilliseconds * Math.Exp(sigma * normal));
    }
}
