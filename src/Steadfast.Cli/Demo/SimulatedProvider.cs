using System.Net.Sockets;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Behavior;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace Steadfast.Cli.Demo;

/// <summary>
/// A pretend remote service. The service itself always answers at once; everything that goes wrong, and every millisecond
/// it takes, is injected by Polly's chaos strategies (Polly.Simmy) in front of it: a behaviour that stands for the request
/// arriving (counted, and its fate decided: outage, quota), then latency, then a fault (connection refused) or an outcome
/// (HTTP 503, HTTP 429 with Retry-After). Every random draw comes from the provider's own seeded source, so <c>--seed</c>
/// repeats the draws; in virtual time it repeats the whole run.
/// </summary>
internal sealed class SimulatedProvider
{
    private static readonly ResiliencePropertyKey<Fate> FateKey = new("steadfast.demo.fate");
    private static readonly TimeSpan RefusalLatency = TimeSpan.FromMilliseconds(3);
    private static readonly TimeSpan RejectionLatency = TimeSpan.FromMilliseconds(5);
    private const double LatencySigma = 0.35;

    private readonly DemoRandom _random;
    private readonly Func<double> _progress;
    private readonly DemoQuota? _quota;
    private long _requests;
    private long _requestsWhileDown;
    private long _rateLimited;
    private long _serverErrors;
    private long _answered;

    public SimulatedProvider(ProviderProfile profile, int seed, TimeProvider time, Func<double> progress)
    {
        Profile = profile;
        _random = new DemoRandom(seed);
        _progress = progress;
        _quota = profile.CallsPerSecond is { } limit ? new DemoQuota(limit, time) : null;
        Strategy = new Strategy<string>(profile.Name, AnswerAsync, profile.Priority, profile.Description) { Cost = profile.Cost }
            .WithChaos(builder => Configure(builder, time));
    }

    public ProviderProfile Profile { get; }

    /// <summary>What the engine calls: the service behind its chaos pipeline.</summary>
    public Strategy<string> Strategy { get; }

    /// <summary>What the provider saw, for reconciling the engine's attempts with the requests that arrived.</summary>
    public ProviderCounts Counts => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _requestsWhileDown),
        Interlocked.Read(ref _rateLimited),
        Interlocked.Read(ref _serverErrors),
        Interlocked.Read(ref _answered));

    private void Configure(ResiliencePipelineBuilder<string> builder, TimeProvider time)
    {
        builder.TimeProvider = time;

        // The request arrives: count it and decide, once, what the service does with it.
        builder.AddChaosBehavior(new ChaosBehaviorStrategyOptions
        {
            InjectionRate = 1,
            BehaviorGenerator = args =>
            {
                args.Context.Properties.Set(FateKey, Arrive());
                return ValueTask.CompletedTask;
            },
        });

        // The time it takes: a log-normal latency around the median (a long tail of slow answers); a refusal or a 429 is quick.
        builder.AddChaosLatency(new ChaosLatencyStrategyOptions
        {
            InjectionRate = 1,
            LatencyGenerator = args => ValueTask.FromResult(FateOf(args.Context) switch
            {
                { Down: true } => RefusalLatency,
                { RetryAfter: not null } => RejectionLatency,
                _ => _random.LogNormal(Profile.MedianLatency, LatencySigma),
            }),
        });

        if (Profile.OutageFrom < Profile.OutageUntil)
        {
            // Down hard: nothing listens, every request is refused.
            builder.AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = 1,
                EnabledGenerator = args => ValueTask.FromResult(FateOf(args.Context).Down),
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(
                    new HttpRequestException($"{Profile.Name}: connection refused", new SocketException((int)SocketError.ConnectionRefused))),
            });
        }

        if (_quota is not null)
        {
            // Over the quota: HTTP 429 with the time until the quota has room again.
            builder.AddChaosOutcome(new ChaosOutcomeStrategyOptions<string>
            {
                InjectionRate = 1,
                EnabledGenerator = args => ValueTask.FromResult(FateOf(args.Context).RetryAfter is not null),
                OutcomeGenerator = args =>
                {
                    Interlocked.Increment(ref _rateLimited);
                    return ValueTask.FromResult<Outcome<string>?>(Outcome.FromException<string>(new ServiceException(
                        $"{Profile.Name}: 429 Too Many Requests (quota {Profile.CallsPerSecond}/s)", 429, FateOf(args.Context).RetryAfter)));
                },
            });
        }

        if (Profile.FailureRate > 0)
        {
            // Transient trouble on the service's side: HTTP 503 on the given share of the requests it serves.
            builder.AddChaosOutcome(new ChaosOutcomeStrategyOptions<string>
            {
                InjectionRate = Profile.FailureRate,
                Randomizer = _random.NextDouble,
                OutcomeGenerator = _ =>
                {
                    Interlocked.Increment(ref _serverErrors);
                    return ValueTask.FromResult<Outcome<string>?>(Outcome.FromException<string>(
                        new ServiceException($"{Profile.Name}: 503 Service Unavailable", 503)));
                },
            });
        }
    }

    /// <summary>
    /// A health probe of the service: whether it answers at all now (it does not while in its outage). Cheap and without
    /// side effects: not a request, not counted, and it draws nothing from the provider's random source, so the run's
    /// figures are the same with or without a health monitor watching.
    /// </summary>
    /// <returns><see langword="null"/> when the service answers; why not when it does not.</returns>
    public string? Ping() => InOutage(_progress()) ? $"{Profile.Name}: connection refused (outage)" : null;

    private bool InOutage(double progress) => progress >= Profile.OutageFrom && progress < Profile.OutageUntil;

    private Fate Arrive()
    {
        Interlocked.Increment(ref _requests);
        var progress = _progress();
        if (InOutage(progress))
        {
            Interlocked.Increment(ref _requestsWhileDown);
            return new Fate(Down: true, RetryAfter: null);
        }

        return _quota is not null && !_quota.TryTake(out var retryAfter) ? new Fate(Down: false, retryAfter) : default;
    }

    private static Fate FateOf(ResilienceContext context) => context.Properties.GetValue(FateKey, default);

    private Task<string> AnswerAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _answered);
        return Task.FromResult($"quote from {Profile.Name}");
    }

    /// <summary>What the service does with one request, decided when it arrives.</summary>
    private readonly record struct Fate(bool Down, TimeSpan? RetryAfter);
}

/// <summary>What a simulated provider saw.</summary>
/// <param name="Requests">Requests that arrived (every attempt the engine made on it).</param>
/// <param name="RequestsWhileDown">Of those, arrived during its outage (refused).</param>
/// <param name="RateLimited">Answered HTTP 429.</param>
/// <param name="ServerErrors">Answered HTTP 503.</param>
/// <param name="Answered">Answered with a quote.</param>
internal sealed record ProviderCounts(long Requests, long RequestsWhileDown, long RateLimited, long ServerErrors, long Answered)
{
    /// <summary>Requests the caller gave up on before the answer (a timeout, a lost race, the deadline).</summary>
    public long Abandoned => Requests - RequestsWhileDown - RateLimited - ServerErrors - Answered;
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

/// <summary>A seeded random source; thread-safe (real-time runs call it from many threads).</summary>
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
