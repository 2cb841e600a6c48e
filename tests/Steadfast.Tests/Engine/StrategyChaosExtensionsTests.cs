using Polly.Simmy;
using Polly.Simmy.Fault;
using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Engine;

public class StrategyChaosExtensionsTests
{
    [Fact]
    public async Task WithChaos_FaultAtFullRate_FailsWithTheInjectedFaultInsideTheEngine()
    {
        var time = NewTime();
        await using var engine = NewEngine(time, Fast(o => o.MaxAttempts = 2));
        var injected = new ServiceException("injected outage", 503);
        var calls = 0;
        var primary = new Strategy<string>("primary", _ => { calls++; return Task.FromResult("real"); })
            .WithChaos(b => b.AddChaosFault(1.0, () => injected));

        var result = await Drive(time, engine.ExecuteWithAlternativesAsync([primary], "chaos_fault"));

        Assert.False(result.Success);
        Assert.Same(injected, result.Error);
        Assert.All(result.Attempts, a => Assert.Same(injected, a.Error));
        Assert.Equal(2, result.Attempts.Count);
        Assert.Equal(0, calls);                            // the fault replaced the call
    }

    [Fact]
    public async Task WithChaos_FaultAtZeroRate_PassesThrough()
    {
        var time = NewTime();
        await using var engine = NewEngine(time);
        var calls = 0;
        var primary = new Strategy<string>("primary", _ => { calls++; return Task.FromResult("real"); })
            .WithChaos(b => b.AddChaosFault(0.0, () => new ServiceException("never", 503)));

        var result = await Drive(time, engine.ExecuteWithAlternativesAsync([primary], "chaos_none"));

        Assert.True(result.Success);
        Assert.Equal("real", result.Value);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task WithChaos_LatencyOnTheEnginesFakeClock_DelaysTheAttempt()
    {
        var time = NewTime();
        await using var engine = NewEngine(time);
        var primary = Ok("primary").WithChaos(b =>
        {
            b.TimeProvider = time;
            b.AddChaosLatency(1.0, TimeSpan.FromSeconds(2));
        });

        var pending = engine.ExecuteWithAlternativesAsync([primary], "chaos_latency").AsTask();
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Yield();
        Assert.False(pending.IsCompleted);

        var result = await Drive(time, new ValueTask<ResilienceResult<string>>(pending));
        Assert.True(result.Success);
        Assert.True(result.Attempts[^1].Duration >= TimeSpan.FromSeconds(2), $"attempt took {result.Attempts[^1].Duration}");
    }

    [Fact]
    public async Task WithChaos_SeededRandomizer_RepeatsTheSameInjections()
    {
        static async Task<string> Run(int seed)
        {
            var random = new Random(seed);
            var strategy = Ok("primary").WithChaos(b => b.AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = 0.5,
                Randomizer = random.NextDouble,
                FaultGenerator = new FaultGenerator().AddException(() => new ServiceException("injected", 503)),
            }));
            var pattern = new System.Text.StringBuilder();
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    await strategy.Operation(CancellationToken.None);
                    pattern.Append('.');
                }
                catch (ServiceException)
                {
                    pattern.Append('x');
                }
            }

            return pattern.ToString();
        }

        var first = await Run(42);

        Assert.Equal(first, await Run(42));
        Assert.Contains("x", first, StringComparison.Ordinal);
        Assert.Contains(".", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithChaos_KeepsTheStrategysIdentityAndLeavesTheOriginalAlone()
    {
        var original = new Strategy<string>("primary", _ => Task.FromResult("real"), Priority: 0.7, Description: "the primary API") { Cost = 0.25m };

        var chaotic = original.WithChaos(b => b.AddChaosOutcome(1.0, () => "injected"));

        Assert.Equal(("primary", 0.7, "the primary API", 0.25m), (chaotic.Name, chaotic.Priority, chaotic.Description, chaotic.Cost));
        Assert.Null(chaotic.ContextualOperation);
        Assert.Equal("injected", await chaotic.Operation(CancellationToken.None));
        Assert.Equal("real", await original.Operation(CancellationToken.None));
    }

    [Fact]
    public async Task WithChaos_ContextualStrategy_StaysContextualAndGetsItsContext()
    {
        var time = NewTime();
        await using var engine = NewEngine(time);
        var behaviours = 0;
        var original = new Strategy<string>("metered", Metered, Priority: 0.9) { Cost = 0.1m };

        var chaotic = original.WithChaos(b => b.AddChaosBehavior(1.0, _ => { behaviours++; return default; }));
        var result = await Drive(time, engine.ExecuteWithAlternativesAsync([chaotic], "chaos_contextual"));

        Assert.NotNull(chaotic.ContextualOperation);
        Assert.Equal((0.9, 0.1m), (chaotic.Priority, chaotic.Cost));
        Assert.True(result.Success);
        Assert.Equal(1, behaviours);
        Assert.Equal(0.6m, result.Cost);                   // the strategy's cost plus what the attempt reported

        static Task<string> Metered(AttemptContext attempt, CancellationToken ct)
        {
            attempt.ReportCost(0.5m);
            return Task.FromResult("real");
        }
    }
}
