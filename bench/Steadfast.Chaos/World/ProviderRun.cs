using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Polly;
using Polly.RateLimiting;
using Polly.Simmy;
using Polly.Simmy.Behavior;
using Polly.Simmy.Latency;
using Polly.Simmy.Outcomes;

namespace Steadfast.Chaos.World;

/// <summary>
/// One provider during one run: its behaviour, built from Polly's chaos strategies on a seeded randomizer, and what it
/// saw (the counters the report reads).
/// </summary>
internal sealed class ProviderRun : IDisposable
{
    /// <summary>The header that names the provider that answered; the competitors read it to tell who served a call.</summary>
    public const string ProviderHeader = "X-Provider";

    // Decided once, as the request arrives, so the counter and the black hole agree on whether the primary was down.
    private static readonly ResiliencePropertyKey<bool> DownKey = new("chaos.primary-down");

    private readonly ProviderSpec _spec;
    private readonly WorldScript _script;
    private readonly ResiliencePipeline<int> _pipeline;
    private readonly FixedWindowRateLimiter? _limiter;
    private long _requests;
    private long _whileDown;
    private long _served;
    private long _rateLimited;
    private long _unavailable;
    private long _abandoned;

    public ProviderRun(ProviderSpec spec, WorldScript script, int seed, int rateLimitPerSecond)
    {
        _spec = spec;
        _script = script;
        var random = new SeededRandom(seed);
        var builder = new ResiliencePipelineBuilder<int>();
        if (spec.Character == ProviderCharacter.Outage)
        {
            // Down hard: the request is held until the client gives up (its token, or the end of the run).
            builder.AddChaosBehavior(new ChaosBehaviorStrategyOptions
            {
                EnabledGenerator = static args => ValueTask.FromResult(args.Context.Properties.GetValue(DownKey, false)),
                InjectionRate = 1.0,
                Randomizer = random.NextDouble,
                BehaviorGenerator = static args => new ValueTask(Task.Delay(Timeout.InfiniteTimeSpan, args.Context.CancellationToken)),
            });
        }

        if (spec.Character == ProviderCharacter.RateLimited)
        {
            // The provider's own limiter rejects at once (before doing any work), as rate limiters in front of APIs do.
            _limiter = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = rateLimitPerSecond,
                Window = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
            builder.AddRateLimiter(_limiter);
        }

        builder.AddChaosLatency(new ChaosLatencyStrategyOptions
        {
            InjectionRate = 1.0,
            Randomizer = random.NextDouble,
            // ±20 % around the provider's latency, so no two providers tie by construction.
            LatencyGenerator = _ => ValueTask.FromResult(spec.Latency * (0.8 + (0.4 * random.NextDouble()))),
        });

        if (spec.Character == ProviderCharacter.Flaky)
        {
            builder.AddChaosOutcome(new ChaosOutcomeStrategyOptions<int>
            {
                InjectionRate = ProviderSpec.FlakyFailureRate,
                Randomizer = random.NextDouble,
                OutcomeGenerator = static _ => ValueTask.FromResult<Outcome<int>?>(Outcome.FromResult(StatusCodes.Status503ServiceUnavailable)),
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Answers one request (or holds it, while the primary is down).</summary>
    public async Task HandleAsync(HttpContext http, CancellationToken runEnded)
    {
        var down = _spec.Character == ProviderCharacter.Outage && _script.IsPrimaryDown(_script.Elapsed);
        Interlocked.Increment(ref _requests);
        if (down)
        {
            Interlocked.Increment(ref _whileDown);
        }

        using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, runEnded);
        var context = ResilienceContextPool.Shared.Get(gone.Token);
        context.Properties.Set(DownKey, down);
        int status;
        TimeSpan? retryAfter = null;
        try
        {
            status = await _pipeline.ExecuteAsync(static _ => ValueTask.FromResult(StatusCodes.Status200OK), context);
        }
        catch (RateLimiterRejectedException e)
        {
            status = StatusCodes.Status429TooManyRequests;
            retryAfter = e.RetryAfter ?? TimeSpan.FromSeconds(1);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (or the run ended): nothing to answer.
            Interlocked.Increment(ref _abandoned);
            http.Abort();
            return;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        switch (status)
        {
            case StatusCodes.Status200OK:
                Interlocked.Increment(ref _served);
                break;
            case StatusCodes.Status429TooManyRequests:
                Interlocked.Increment(ref _rateLimited);
                break;
            default:
                Interlocked.Increment(ref _unavailable);
                break;
        }

        http.Response.StatusCode = status;
        http.Response.Headers[ProviderHeader] = _spec.Name;
        if (retryAfter is { } wait)
        {
            // Retry-After in whole seconds (RFC 9110 delta-seconds), never 0.
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (status == StatusCodes.Status200OK)
        {
            await http.Response.WriteAsync(_spec.Name, CancellationToken.None);
        }
    }

    /// <summary>What the provider saw so far.</summary>
    public ProviderTally Tally() => new(
        _spec.Name,
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _whileDown),
        Interlocked.Read(ref _served),
        Interlocked.Read(ref _rateLimited),
        Interlocked.Read(ref _unavailable),
        Interlocked.Read(ref _abandoned));

    public void Dispose() => _limiter?.Dispose();
}
