using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Engine;

// Health-aware routing and operation modes (issue 12): what the system knows of itself changes what the engine runs.
public sealed class ResilienceEngineOperatingTests
{
    [Fact]
    public async Task Plan_ComponentUnhealthy_SkipsItsStrategyWithTheReason()
    {
        var time = NewTime();
        await using var health = await MonitorWith(time, ("openai", HealthStatus.Unhealthy), ("anthropic", HealthStatus.Healthy));
        var engine = Engine(time, health: health);

        var result = await engine.ExecuteWithAlternativesAsync([On("openai", 1.0), On("anthropic", 0.5)], "chat");

        Assert.Equal("anthropic", result.StrategyUsed);
        var skip = Assert.Single(result.Attempts, a => a.Strategy == "openai");
        Assert.Equal(SkipReasons.ComponentUnhealthyPrefix + "openai", skip.SkipReason);
    }

    [Fact]
    public async Task Plan_ComponentHealthy_RunsItsStrategyFirst()
    {
        var time = NewTime();
        await using var health = await MonitorWith(time, ("openai", HealthStatus.Healthy), ("anthropic", HealthStatus.Healthy));
        var engine = Engine(time, health: health);

        var result = await engine.ExecuteWithAlternativesAsync([On("openai", 1.0), On("anthropic", 0.5)], "chat");

        Assert.Equal("openai", result.StrategyUsed);
        Assert.DoesNotContain(result.Attempts, a => a.SkipReason is not null);
    }

    [Fact]
    public async Task Plan_EveryComponentUnhealthy_StillTriesThem()
    {
        var time = NewTime();
        await using var health = await MonitorWith(time, ("openai", HealthStatus.Unhealthy), ("anthropic", HealthStatus.Unhealthy));
        var engine = Engine(time, health: health);

        var result = await engine.ExecuteWithAlternativesAsync([On("openai", 1.0), On("anthropic", 0.5)], "chat");

        Assert.True(result.Success); // the monitor may be behind: never give up untried
        Assert.Equal("openai", result.StrategyUsed);
    }

    [Fact]
    public async Task Plan_ComponentDegraded_RanksBelowAnEqualHealthyOne()
    {
        var time = NewTime();
        await using var health = await MonitorWith(time, ("openai", HealthStatus.Degraded), ("anthropic", HealthStatus.Healthy));
        var engine = Engine(time, health: health);

        var result = await engine.ExecuteWithAlternativesAsync([On("openai", 1.0), On("anthropic", 0.9)], "chat");

        Assert.Equal("anthropic", result.StrategyUsed); // 1.0 × ½ < 0.9
        Assert.DoesNotContain(result.Attempts, a => a.Strategy == "openai"); // ranked lower, not skipped
    }

    [Fact]
    public async Task Plan_Emergency_RunsOnlyEssentialStrategies()
    {
        var time = NewTime();
        using var modes = new OperationModeManager(timeProvider: time);
        await modes.SetModeAsync(OperationMode.Emergency, "test");
        var engine = Engine(time, modes: modes);

        var result = await engine.ExecuteWithAlternativesAsync(
            [Fails("openai", Transient(), 1.0), Ok("local", 0.1) with { EssentialInEmergency = true }, Ok("anthropic", 0.5)], "chat");

        Assert.Equal("local", result.StrategyUsed);
        Assert.Equal(SkipReasons.NotEssentialInEmergency, Assert.Single(result.Attempts, a => a.Strategy == "openai").SkipReason);
        Assert.Equal(SkipReasons.NotEssentialInEmergency, Assert.Single(result.Attempts, a => a.Strategy == "anthropic").SkipReason);
    }

    [Fact]
    public async Task Plan_EmergencyWithNoEssentialStrategy_RunsTheCheapest()
    {
        var time = NewTime();
        using var modes = new OperationModeManager(timeProvider: time);
        await modes.SetModeAsync(OperationMode.Emergency, "test");
        var engine = Engine(time, modes: modes);

        var result = await engine.ExecuteWithAlternativesAsync(
            [Ok("openai", 1.0) with { Cost = 0.05m }, Ok("local", 0.1) with { Cost = 0.001m }, Ok("anthropic", 0.5) with { Cost = 0.03m }], "chat");

        Assert.Equal("local", result.StrategyUsed);
    }

    [Fact]
    public async Task Plan_NormalMode_EssentialMarksChangeNothing()
    {
        var time = NewTime();
        using var modes = new OperationModeManager(timeProvider: time);
        var engine = Engine(time, modes: modes);

        var result = await engine.ExecuteWithAlternativesAsync([Ok("openai", 1.0), Ok("local", 0.1) with { EssentialInEmergency = true }], "chat");

        Assert.Equal("openai", result.StrategyUsed);
        Assert.DoesNotContain(result.Attempts, a => a.SkipReason is not null);
    }

    [Theory]
    [InlineData(OperationMode.Normal, 2)]
    [InlineData(OperationMode.Degraded, 1)]
    public async Task Race_ByMode_StartsEveryStrategyOnlyInNormalMode(OperationMode mode, int started)
    {
        var time = NewTime();
        using var modes = new OperationModeManager(timeProvider: time);
        if (mode != OperationMode.Normal)
        {
            await modes.SetModeAsync(mode, "test");
        }

        var engine = Engine(time, modes: modes);
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "op", parallel: true).AsTask();
        var startedNow = a.Started + b.Started;
        a.Attempt(0).SetResult("from a");
        var result = await pending;

        Assert.True(result.Success);
        Assert.Equal(started, startedNow); // Degraded: no extra requests, one strategy at a time
    }

    [Theory]
    [InlineData(OperationMode.Normal, true)]
    [InlineData(OperationMode.Degraded, false)]
    public async Task CreativeSolver_ByMode_AskedOnlyInNormalMode(OperationMode mode, bool asked)
    {
        var time = NewTime();
        using var modes = new OperationModeManager(timeProvider: time);
        if (mode != OperationMode.Normal)
        {
            await modes.SetModeAsync(mode, "test");
        }

        var engine = Engine(time, modes: modes);
        var solver = new CountingSolver();
        engine.CreativeSolver = solver;

        var result = await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent())], "op");

        Assert.Equal(asked, solver.Asked > 0);
        Assert.Equal(asked, result.Success);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LoadBalancing_EqualPriorities_SharesFirstPlaceOnlyWhenOn(bool on)
    {
        var time = NewTime();
        var random = new Random(7);
        var engine = new ResilienceEngine(Fast(o => { o.LoadBalancing = on; o.EnableLearning = false; o.Randomizer = random.NextDouble; }), null, time, null, null);
        var served = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0 };

        for (var i = 0; i < 200; i++)
        {
            var result = await engine.ExecuteWithAlternativesAsync([Ok("a", 1.0), Ok("b", 1.0), Ok("c", 0.5)], "op");
            served[result.StrategyUsed!]++;
        }

        Assert.Equal(0, served["c"]); // a lower priority never leads while an equal pair is ready
        if (on)
        {
            Assert.InRange(served["a"], 60, 140); // equal scores: about half each
            Assert.InRange(served["b"], 60, 140);
        }
        else
        {
            Assert.Equal(200, served["a"]); // off: always the first of equals
        }
    }

    private static Strategy<string> On(string component, double priority) => Ok(component, priority) with { HealthComponent = component };

    private static ResilienceEngine Engine(FakeTimeProvider time, HealthMonitor? health = null, OperationModeManager? modes = null) =>
        new(Fast(o => { o.EnableLearning = false; o.Randomizer = () => 0.5; }), null, time, null, null, health, modes);

    /// <summary>A monitor whose components report the given statuses, checked until the statuses have settled past hysteresis.</summary>
    private static async Task<HealthMonitor> MonitorWith(FakeTimeProvider time, params (string Name, HealthStatus Status)[] components)
    {
        var monitor = new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 1, HealthyAfter = 1 }, time);
        foreach (var (name, status) in components)
        {
            monitor.RegisterComponent(name, _ => Task.FromResult(new HealthCheckResult(status, "scripted")));
        }

        await monitor.CheckNowAsync();
        foreach (var (name, status) in components)
        {
            Assert.True(monitor.TryGetStatus(name, out var actual));
            Assert.Equal(status, actual);
        }

        return monitor;
    }

    private sealed class CountingSolver : ICreativeSolver
    {
        public int Asked;

        public ValueTask<Strategy<T>?> ProposeStrategyAsync<T>(ResilienceSituation situation, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Asked);
            return ValueTask.FromResult<Strategy<T>?>(new Strategy<T>("creative", _ => Task.FromResult(default(T)!)));
        }
    }
}
