using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Engine;

/// <summary>
/// One schedule across strategies (issue 10): the best-ranked ready strategy runs; nothing waits for one strategy's backoff
/// while another is ready; a wait is for the earliest ready strategy, and never into the deadline. On a fake clock: an
/// execution that completes without the clock moving did not wait.
/// </summary>
public sealed class ResilienceEngineScheduleTests
{
    private static ResilienceOptions Backoff(TimeSpan initialDelay, Action<ResilienceOptions>? tweak = null) => Fast(o =>
    {
        o.InitialDelay = initialDelay;
        o.MaxDelay = TimeSpan.FromMinutes(1);
        o.MaxTotalTime = TimeSpan.FromMinutes(5);
        tweak?.Invoke(o);
    });

    [Fact]
    public async Task Sequential_FirstInBackoff_NextReadyStrategyRunsWithoutWaiting()
    {
        var time = NewTime();
        var engine = NewEngine(time, Backoff(TimeSpan.FromSeconds(1)));

        var pending = engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0), Ok("b", 0.5)], "op");

        Assert.True(pending.IsCompleted); // no timer: the backoff of "a" was not waited for
        var r = await pending;
        Assert.Equal("b", r.StrategyUsed);
        Assert.Equal(["a", "b"], r.Attempts.Select(a => a.Strategy));
        Assert.Equal(TimeSpan.Zero, r.Duration);
    }

    [Fact]
    public async Task Sequential_OneStrategy_PlainRetryWithBackoff()
    {
        var time = NewTime();
        var engine = NewEngine(time, Backoff(TimeSpan.FromSeconds(1)));
        var starts = new List<DateTimeOffset>();

        var r = await Drive(time, engine.ExecuteAsync(_ =>
        {
            starts.Add(time.GetUtcNow());
            return starts.Count < 3 ? Task.FromException<string>(Transient()) : Task.FromResult("ok");
        }, "op"), TimeSpan.FromMilliseconds(100));

        Assert.True(r.Success);
        Assert.Equal(TimeSpan.FromSeconds(1), starts[1] - starts[0]); // jitter is centred by the test randomizer
        Assert.Equal(TimeSpan.FromSeconds(2), starts[2] - starts[1]);
    }

    [Theory]
    [InlineData(0.0, 750)]  // the bottom of the ±25 % jitter
    [InlineData(0.5, 1000)] // its middle
    public async Task Randomizer_Given_DrawsTheJitter(double draw, int expectedMilliseconds)
    {
        var time = NewTime();
        var draws = 0;
        var options = Backoff(TimeSpan.FromSeconds(1));
        options.Randomizer = () =>
        {
            Interlocked.Increment(ref draws);
            return draw;
        };
        var engine = NewEngine(time, options);
        var starts = new List<DateTimeOffset>();

        await Drive(time, engine.ExecuteAsync(_ =>
        {
            starts.Add(time.GetUtcNow());
            return starts.Count < 2 ? Task.FromException<string>(Transient()) : Task.FromResult("ok");
        }, "op"), TimeSpan.FromMilliseconds(50));

        Assert.True(draws > 0);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), starts[1] - starts[0]);
    }

    [Fact]
    public async Task Sequential_NoneReadyNow_WaitsForTheEarliestReadyOne()
    {
        // "a" is ranked first but backs off 4 s (its second failure); "b" backs off 1 s: after 1 s "b" goes again, not "a".
        var time = NewTime();
        var engine = NewEngine(time, Backoff(TimeSpan.FromSeconds(1)));
        var order = new List<(string Name, DateTimeOffset At)>();
        var a = new Strategy<string>("a", _ => { order.Add(("a", time.GetUtcNow())); return Task.FromException<string>(Transient()); }, 1.0);
        var bCalls = 0;
        var b = new Strategy<string>("b", _ =>
        {
            order.Add(("b", time.GetUtcNow()));
            return ++bCalls < 2 ? Task.FromException<string>(Transient()) : Task.FromResult("b");
        }, 0.5);

        var r = await Drive(time, engine.ExecuteWithAlternativesAsync([a, b], "op"), TimeSpan.FromMilliseconds(100));

        Assert.Equal("b", r.StrategyUsed);
        var t0 = order[0].At;
        Assert.Equal([("a", TimeSpan.Zero), ("b", TimeSpan.Zero), ("a", TimeSpan.FromSeconds(1)), ("b", TimeSpan.FromSeconds(1))],
            order.Select(o => (o.Name, o.At - t0)).ToArray());
    }

    [Fact]
    public async Task Sequential_NothingReadyBeforeTheDeadline_StopsAtOnceWithTimeBudget()
    {
        var time = NewTime();
        var engine = NewEngine(time, Backoff(TimeSpan.FromSeconds(10), o => o.MaxTotalTime = TimeSpan.FromSeconds(5)));

        var pending = engine.ExecuteAsync<string>(_ => Task.FromException<string>(Transient()), "op");

        Assert.True(pending.IsCompleted); // it did not sleep into the deadline
        var r = await pending;
        Assert.Equal(StopReason.TimeBudget, r.StopReason);
        Assert.Single(r.Attempts);
    }

    [Fact]
    public async Task Sequential_RetryReadyBeforeTheDeadline_IsWaitedFor()
    {
        var time = NewTime();
        var engine = NewEngine(time, Backoff(TimeSpan.FromSeconds(2), o => o.MaxTotalTime = TimeSpan.FromSeconds(5)));
        var calls = 0;

        var r = await Drive(time, engine.ExecuteAsync(_ => ++calls == 1 ? Task.FromException<string>(Transient()) : Task.FromResult("ok"), "op"));

        Assert.True(r.Success);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task RateLimit_ManyTimes_NeverBlacklistsNorOpensTheCircuit_AndDefersByItsRetryAfter()
    {
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var engine = NewEngine(time, Backoff(TimeSpan.FromMilliseconds(10), o => o.MaxAttempts = 1), analyzer);
        var limited = Fails("limited", new ServiceException("slow down", 429, TimeSpan.FromSeconds(1)));

        for (var i = 0; i < 10; i++)
        {
            var r = await engine.ExecuteWithAlternativesAsync([limited, Ok("backup", 0.5)], "op");
            Assert.Equal("backup", r.StrategyUsed);
        }

        Assert.False(analyzer.IsStrategyBlacklisted("limited", "op"));
        Assert.True(engine.CircuitBreakers.TryGet("op/limited", out var circuit));
        Assert.Equal(CircuitState.Closed, circuit.State);
        Assert.Equal(0, analyzer.GetStrategyStatistics("limited", "op").Failures);
    }

    [Fact]
    public async Task RateLimit_RetryAfter_DefersTheStrategyForLaterExecutionsUntilItPasses()
    {
        var time = NewTime();
        var engine = NewEngine(time, Backoff(TimeSpan.FromMilliseconds(10), o => o.MaxAttempts = 1));
        var limitedCalls = new List<string>();
        var limited = Fails("limited", new ServiceException("slow down", 429, TimeSpan.FromSeconds(2)), 1.0, limitedCalls);

        await engine.ExecuteWithAlternativesAsync([limited, Ok("backup", 0.2)], "op");
        time.Advance(TimeSpan.FromSeconds(1));
        var deferred = await engine.ExecuteWithAlternativesAsync([limited, Ok("backup", 0.2)], "op");

        Assert.Single(limitedCalls); // the second execution sent it no request: the service asked for 2 s
        var skip = Assert.Single(deferred.Attempts, a => a.Strategy == "limited");
        Assert.Equal(SkipReasons.RateLimited, skip.SkipReason);
        Assert.Equal(TimeSpan.FromSeconds(1), skip.RetryAfter);
        Assert.Equal("backup", deferred.StrategyUsed);

        time.Advance(TimeSpan.FromSeconds(1));
        await engine.ExecuteWithAlternativesAsync([limited, Ok("backup", 0.2)], "op");

        Assert.Equal(2, limitedCalls.Count); // the pause is over: asked again
    }

    [Fact]
    public async Task RateLimit_OtherOperation_NotDeferred()
    {
        var time = NewTime();
        var engine = NewEngine(time, Backoff(TimeSpan.FromMilliseconds(10), o => o.MaxAttempts = 1));
        var limitedCalls = new List<string>();
        var limited = Fails("limited", new ServiceException("slow down", 429, TimeSpan.FromSeconds(2)), 1.0, limitedCalls);

        await engine.ExecuteWithAlternativesAsync([limited, Ok("backup", 0.5)], "op");
        await engine.ExecuteWithAlternativesAsync([limited, Ok("backup", 0.5)], "other-op");

        Assert.Equal(2, limitedCalls.Count);
    }

    [Fact]
    public async Task Transient_ManyTimes_BlacklistsAutomatically_ThenAProbeLiftsItWhenItRecovers()
    {
        // The backup's priority is low enough that the failing primary stays ranked first until it is blacklisted.
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var engine = NewEngine(time, Backoff(TimeSpan.FromMilliseconds(10), o => { o.MaxAttempts = 1; o.MaxTotalTime = TimeSpan.FromSeconds(2); }), analyzer);
        var (primary, calls, up) = Recovering();

        await BlacklistAsync(engine, analyzer, primary, calls);

        up();
        time.Advance(analyzer.Options.BlacklistProbeInterval);
        var probed = await engine.ExecuteWithAlternativesAsync([primary, Ok("backup", 0.01)], "op");

        // One call is both the blacklist's recovery probe and the circuit's half-open probe (same interval by default).
        Assert.Equal("primary", probed.StrategyUsed);
        Assert.Equal(6, calls());
        Assert.False(analyzer.IsStrategyBlacklisted("primary", "op"));
        Assert.True(engine.CircuitBreakers.TryGet("op/primary", out var circuit));
        Assert.NotEqual(CircuitState.Open, circuit.State); // half-open, closing after its success threshold
        var next = await engine.ExecuteWithAlternativesAsync([primary, Ok("backup", 0.01)], "op");
        Assert.Equal("primary", next.StrategyUsed); // back in front at once
    }

    [Theory]
    [InlineData(20)]  // a short outage: the primary was ranked down, not yet blacklisted
    [InlineData(120)] // a long one: blacklisted, probed with a doubling interval
    public async Task Recovered_AfterABackupStoodInForIt_RegainsFirstPlace(int outageSeconds)
    {
        // Nearly equal priorities: what was learned decides. One call a second; the backup serves through the outage. After
        // the recovery the primary must come back first: in sequential mode a strategy left behind the one that stood in for
        // it would never get the calls that show it is back.
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var engine = NewEngine(time, Backoff(TimeSpan.FromMilliseconds(10), o => { o.MaxAttempts = 1; o.MaxTotalTime = TimeSpan.FromSeconds(2); }), analyzer);
        var isUp = true;
        var primaryCalls = 0;
        var primary = new Strategy<string>("primary", _ =>
        {
            primaryCalls++;
            return isUp ? Task.FromResult("primary") : Task.FromException<string>(Transient());
        }, 1.0);
        var backup = Ok("backup", 0.9);
        async Task<string?> CallAsync()
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return (await engine.ExecuteWithAlternativesAsync([primary, backup], "op")).StrategyUsed;
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("primary", await CallAsync());
        }

        isUp = false;
        var callsBefore = primaryCalls;
        for (var i = 0; i < outageSeconds; i++)
        {
            Assert.Equal("backup", await CallAsync());
        }

        // While down it was asked about once per probe interval (doubling once blacklisted), not on every call.
        Assert.InRange(primaryCalls - callsBefore, 2, (outageSeconds / 5) + 2);
        isUp = true;
        var served = new List<string?>();
        for (var i = 0; i < 100; i++)
        {
            served.Add(await CallAsync());
        }

        // Within the probe interval in force: 5 s after a short outage; after a long one it has doubled (5, 10, 20, 40, 80 s).
        var firstBack = served.IndexOf("primary");
        Assert.InRange(firstBack, 0, outageSeconds >= 120 ? 80 : 5);
        Assert.All(served.Skip(firstBack), s => Assert.Equal("primary", s)); // and first again from then on
    }

    [Fact]
    public async Task Probe_DueWhileTheCircuitStillRefuses_WaitsForHalfOpen_NoExtraCall()
    {
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var engine = NewEngine(time, Backoff(TimeSpan.FromMilliseconds(10), o =>
        {
            o.MaxAttempts = 1;
            o.MaxTotalTime = TimeSpan.FromSeconds(2);
            o.CircuitBreaker = new CircuitBreakerOptions { Cooldown = TimeSpan.FromSeconds(30) };
        }), analyzer);
        var (primary, calls, up) = Recovering();
        await BlacklistAsync(engine, analyzer, primary, calls);

        up();
        time.Advance(analyzer.Options.BlacklistProbeInterval);
        var early = await engine.ExecuteWithAlternativesAsync([primary, Ok("backup", 0.01)], "op");

        Assert.Equal("backup", early.StrategyUsed);
        Assert.Equal(5, calls()); // the circuit refused: the probe is given back until it lets one through
        var halfOpenAt = analyzer.GetNextProbeAt("primary", "op");
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(25), halfOpenAt);

        time.Advance(halfOpenAt!.Value - time.GetUtcNow());
        var probed = await engine.ExecuteWithAlternativesAsync([primary, Ok("backup", 0.01)], "op");

        Assert.Equal("primary", probed.StrategyUsed);
        Assert.Equal(6, calls());
        Assert.False(analyzer.IsStrategyBlacklisted("primary", "op"));
    }

    /// <summary>A strategy that fails (transient) until <c>up</c> is called, counting its calls.</summary>
    private static (Strategy<string> Strategy, Func<int> Calls, Action Up) Recovering()
    {
        var isUp = false;
        var calls = 0;
        var strategy = new Strategy<string>("primary", _ =>
        {
            calls++;
            return isUp ? Task.FromResult("primary") : Task.FromException<string>(Transient());
        }, 1.0);
        return (strategy, () => calls, () => isUp = true);
    }

    private static async Task BlacklistAsync(ResilienceEngine engine, FailureAnalyzer analyzer, Strategy<string> primary, Func<int> calls)
    {
        for (var i = 0; i < 5; i++)
        {
            await engine.ExecuteWithAlternativesAsync([primary, Ok("backup", 0.01)], "op");
        }

        Assert.True(analyzer.IsStrategyBlacklisted("primary", "op"));
        var down = await engine.ExecuteWithAlternativesAsync([primary, Ok("backup", 0.01)], "op");
        Assert.Equal("backup", down.StrategyUsed);
        Assert.Equal(5, calls()); // blacklisted: not called before its probe is due
    }

    [Fact]
    public async Task ManualBlacklist_NeverProbed()
    {
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var engine = NewEngine(time, Backoff(TimeSpan.FromMilliseconds(10)), analyzer);
        await analyzer.AddToBlacklistAsync("primary", "op", "maintenance", expiresAfter: TimeSpan.FromHours(1));
        var primaryCalls = 0;
        var primary = new Strategy<string>("primary", _ => { primaryCalls++; return Task.FromResult("primary"); }, 1.0);

        time.Advance(TimeSpan.FromMinutes(10)); // many probe intervals
        var r = await engine.ExecuteWithAlternativesAsync([primary, Ok("backup", 0.01)], "op");

        Assert.Equal("backup", r.StrategyUsed);
        Assert.Equal(0, primaryCalls);
    }
}
