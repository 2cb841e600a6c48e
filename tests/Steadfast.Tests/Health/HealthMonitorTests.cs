using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Health;

public sealed class HealthMonitorTests
{
    private static readonly HealthMonitorOptions Options = new()
    {
        CheckInterval = TimeSpan.FromSeconds(30),
        CheckTimeout = TimeSpan.FromSeconds(5),
        UnhealthyAfter = 3,
        HealthyAfter = 2,
    };

    /// <summary>A check whose next results the test decides.</summary>
    private sealed class Switch
    {
        public volatile bool Healthy = true;
        public int Calls;

        public Task<HealthCheckResult> CheckAsync(CancellationToken _)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(Healthy ? HealthCheckResult.Healthy("ok") : HealthCheckResult.Unhealthy("down"));
        }
    }

    [Fact]
    public async Task CheckComponentAsync_FirstFailure_MakesHealthyComponentDegraded()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        var check = new Switch { Healthy = false };
        monitor.RegisterComponent("db", check.CheckAsync);

        var health = await monitor.CheckComponentAsync("db");

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.Equal("down", health.Description);
    }

    [Fact]
    public async Task CheckComponentAsync_FailuresBelowUnhealthyAfter_StayDegraded_AndReachingIt_IsUnhealthy()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        var check = new Switch { Healthy = false };
        monitor.RegisterComponent("db", check.CheckAsync);

        await monitor.CheckComponentAsync("db");
        Assert.Equal(HealthStatus.Degraded, (await monitor.CheckComponentAsync("db")).Status);

        Assert.Equal(HealthStatus.Unhealthy, (await monitor.CheckComponentAsync("db")).Status);
    }

    [Fact]
    public async Task CheckComponentAsync_PassesBelowHealthyAfter_KeepStatus_AndReachingIt_IsHealthy()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        var check = new Switch { Healthy = false };
        monitor.RegisterComponent("db", check.CheckAsync);
        for (var i = 0; i < 3; i++)
        {
            await monitor.CheckComponentAsync("db");
        }

        check.Healthy = true;
        var once = await monitor.CheckComponentAsync("db");
        Assert.Equal(HealthStatus.Unhealthy, once.Status);
        Assert.Equal(0, once.ConsecutiveFailures);

        Assert.Equal(HealthStatus.Healthy, (await monitor.CheckComponentAsync("db")).Status);
    }

    [Fact]
    public async Task CheckComponentAsync_PassAfterOneFailure_DoesNotResetWithoutHealthyAfter()
    {
        await using var monitor = new HealthMonitor(new HealthMonitorOptions { HealthyAfter = 1 }, new TestClock());
        var check = new Switch { Healthy = false };
        monitor.RegisterComponent("db", check.CheckAsync);
        await monitor.CheckComponentAsync("db");

        check.Healthy = true;

        Assert.Equal(HealthStatus.Healthy, (await monitor.CheckComponentAsync("db")).Status);
    }

    [Fact]
    public async Task CheckComponentAsync_CheckReportsDegraded_IsDegradedAndRestartsCounts()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        monitor.RegisterComponent("db", _ => Task.FromResult(HealthCheckResult.Degraded("slow")));

        var health = await monitor.CheckComponentAsync("db");

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(0, health.ConsecutiveFailures);
        Assert.Equal(0, health.ConsecutiveSuccesses);
    }

    [Fact]
    public async Task CheckComponentAsync_CheckThrows_IsAFailedCheckWithTheReasonRedacted()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        monitor.RegisterComponent("db", _ => throw new InvalidOperationException("login failed password=hunter2"));

        var health = await monitor.CheckComponentAsync("db");

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.IsType<InvalidOperationException>(health.LastException);
        Assert.Contains("login failed", health.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckComponentAsync_AsyncCheckThrows_IsAFailedCheck()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        monitor.RegisterComponent("db", async _ => { await Task.Yield(); throw new TimeoutException("socket"); });

        var health = await monitor.CheckComponentAsync("db");

        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.Equal("socket", health.Description);
    }

    [Fact]
    public async Task CheckComponentAsync_CheckRunsPastTimeout_IsAFailedCheckSayingSo()
    {
        var clock = new TestClock();
        await using var monitor = new HealthMonitor(Options, clock);
        monitor.RegisterComponent("db", async ct => { await Task.Delay(Timeout.Infinite, ct); return HealthCheckResult.Healthy(); });

        var check = monitor.CheckComponentAsync("db");
        await clock.WaitForTimerAsync();
        await clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        var health = await check;

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("timed out after 5000 ms", health.Description, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), health.Latency);
    }

    [Fact]
    public async Task CheckComponentAsync_CheckWithinTimeout_Passes()
    {
        var clock = new TestClock();
        await using var monitor = new HealthMonitor(Options, clock);
        monitor.RegisterComponent("db", _ => { clock.Advance(TimeSpan.FromMilliseconds(4999)); return Task.FromResult(HealthCheckResult.Healthy()); });

        var health = await monitor.CheckComponentAsync("db");

        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(4999), health.Latency);
        Assert.Equal(clock.GetUtcNow(), health.LastCheckedAt);
    }

    [Fact]
    public async Task CheckComponentAsync_TimedOutCheckStillRunning_NextCheckFailsWithoutStartingAnother()
    {
        var clock = new TestClock();
        await using var monitor = new HealthMonitor(Options, clock);
        var hung = new TaskCompletionSource<HealthCheckResult>();
        var calls = 0;
        monitor.RegisterComponent("db", _ => { Interlocked.Increment(ref calls); return hung.Task; }); // ignores its token

        var first = monitor.CheckComponentAsync("db");
        await clock.WaitForTimerAsync();
        await clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        await first;
        var second = await monitor.CheckComponentAsync("db");

        Assert.Equal(1, calls);
        Assert.Contains("has not returned", second.Description, StringComparison.Ordinal);
        Assert.Equal(2, second.ConsecutiveFailures);

        hung.SetResult(HealthCheckResult.Healthy());
        await monitor.CheckComponentAsync("db");
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task CheckComponentAsync_WhileACheckRuns_JoinsItInsteadOfRunningTwo()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        var release = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;
        var maxRunning = 0;
        var calls = 0;
        monitor.RegisterComponent("db", async _ =>
        {
            Interlocked.Increment(ref calls);
            var now = Interlocked.Increment(ref running);
            maxRunning = Math.Max(maxRunning, now);
            var result = await release.Task;
            Interlocked.Decrement(ref running);
            return result;
        });

        var checks = Enumerable.Range(0, 10).Select(_ => monitor.CheckComponentAsync("db")).Append(monitor.CheckNowAsync().ContinueWith(_ => monitor.GetComponent("db"), TaskScheduler.Default)).ToList();
        release.SetResult(HealthCheckResult.Healthy());
        await Task.WhenAll(checks);

        Assert.Equal(1, calls);
        Assert.Equal(1, maxRunning);
    }

    [Fact]
    public async Task CheckComponentAsync_AfterACheckEnded_RunsANewOne()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        var check = new Switch();
        monitor.RegisterComponent("db", check.CheckAsync);

        await monitor.CheckComponentAsync("db");
        await monitor.CheckComponentAsync("db");

        Assert.Equal(2, check.Calls);
    }

    [Fact]
    public async Task RegisterCircuit_FollowsTheCircuitsState()
    {
        var clock = new TestClock();
        await using var monitor = new HealthMonitor(Options, clock);
        var circuit = new global::Steadfast.CircuitBreaker("payments", new CircuitBreakerOptions { FailureThreshold = 1, Cooldown = TimeSpan.FromSeconds(1), HalfOpenMaxCalls = 1, SuccessThreshold = 1 }, clock);
        monitor.RegisterCircuit(circuit, ComponentSeverity.High);
        Assert.Equal(HealthStatus.Healthy, monitor.GetComponent("payments").Status);

        Assert.True(circuit.TryAcquire(out _));
        circuit.RecordFailure(new InvalidOperationException("x"));
        Assert.Equal(HealthStatus.Unhealthy, monitor.GetComponent("payments").Status);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(circuit.TryAcquire(out _));
        Assert.Equal(HealthStatus.Degraded, monitor.GetComponent("payments").Status);

        circuit.RecordSuccess();
        Assert.Equal(HealthStatus.Healthy, monitor.GetComponent("payments").Status);
    }

    [Fact]
    public async Task RegisterCircuit_AlreadyIsolated_IsUnhealthyAtOnce_AndUnregisterDetaches()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        var circuit = new global::Steadfast.CircuitBreaker("payments");
        circuit.Isolate();
        monitor.RegisterCircuit(circuit, componentName: "pay");
        Assert.Equal(HealthStatus.Unhealthy, monitor.GetComponent("pay").Status);
        Assert.Equal(HealthStatus.Unhealthy, (await monitor.CheckComponentAsync("pay")).Status);

        Assert.True(monitor.UnregisterComponent("pay"));
        circuit.Reset();

        Assert.False(monitor.TryGetStatus("pay", out _));
        Assert.False(monitor.UnregisterComponent("pay"));
    }

    [Fact]
    public async Task StatusChanged_RaisedOnTransitionOnly_AndPublishedOnTheBus()
    {
        await using var bus = new InProcessEventBus();
        var published = new ConcurrentQueue<ComponentHealthChanged>();
        using var sub = bus.Subscribe<ComponentHealthChanged>((e, _) => { published.Enqueue(e); return Task.CompletedTask; });
        await using var monitor = new HealthMonitor(Options, bus, new TestClock());
        var raised = new List<ComponentStatusChangedEventArgs>();
        monitor.StatusChanged += (_, e) => raised.Add(e);
        monitor.StatusChanged += (_, _) => throw new InvalidOperationException("a bad listener");
        var check = new Switch();
        monitor.RegisterComponent("db", check.CheckAsync, ComponentSeverity.High);

        await monitor.CheckComponentAsync("db"); // Healthy -> Healthy: nothing
        check.Healthy = false;
        await monitor.CheckComponentAsync("db"); // -> Degraded
        await monitor.CheckComponentAsync("db"); // still Degraded: nothing
        await bus.PublishAndWaitAsync(new ComponentHealthChanged("marker", HealthStatus.Healthy, HealthStatus.Healthy, null, ComponentSeverity.Low, default));

        var change = Assert.Single(raised);
        Assert.Equal(("db", HealthStatus.Healthy, HealthStatus.Degraded, "down"), (change.Component, change.Previous, change.Current, change.Description));
        Assert.Equal(2, published.Count);
        Assert.Equal(ComponentSeverity.High, published.First().Severity);
    }

    [Fact]
    public void OverallStatus_WeightsBySeverity()
    {
        static ComponentHealth C(HealthStatus s, ComponentSeverity sev) => new("c", sev, s, null, null, TimeSpan.Zero, 0, 0, null, null);
        static HealthStatus Overall(params ComponentHealth[] c) => Steadfast.Health.Monitoring.HealthWeighting.Overall(c);

        Assert.Equal(HealthStatus.Healthy, Overall());
        Assert.Equal(HealthStatus.Unhealthy, Overall(C(HealthStatus.Unhealthy, ComponentSeverity.High)));
        Assert.Equal(HealthStatus.Unhealthy, Overall(C(HealthStatus.Unhealthy, ComponentSeverity.Critical), C(HealthStatus.Healthy, ComponentSeverity.Low)));
        Assert.Equal(HealthStatus.Degraded, Overall(C(HealthStatus.Unhealthy, ComponentSeverity.Medium)));
        Assert.Equal(HealthStatus.Degraded, Overall(C(HealthStatus.Degraded, ComponentSeverity.Medium)));
        Assert.Equal(HealthStatus.Degraded, Overall(C(HealthStatus.Unhealthy, ComponentSeverity.Low)));
        Assert.Equal(HealthStatus.Healthy, Overall(C(HealthStatus.Degraded, ComponentSeverity.Low)));
    }

    [Fact]
    public async Task CheckNowAsync_ReportsEveryComponentWithTheWeightedOverallStatus()
    {
        var clock = new TestClock();
        await using var monitor = new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 1 }, clock);
        monitor.RegisterComponent("cache", _ => Task.FromResult(HealthCheckResult.Unhealthy("gone")), ComponentSeverity.Low);
        monitor.RegisterComponent("db", _ => { clock.Advance(TimeSpan.FromMilliseconds(20)); return Task.FromResult(HealthCheckResult.Healthy("fine")); }, ComponentSeverity.High);

        var report = await monitor.CheckNowAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["cache"].Status);
        Assert.Equal("fine", report.Entries["db"].Description);
        Assert.Equal(HealthStatus.Degraded, monitor.OverallStatus);
        Assert.Equal(["cache", "db"], monitor.GetComponents().Select(c => c.Name));
    }

    [Fact]
    public async Task RegisterComponent_HealthCheck_IsCalledWithItsRegistration()
    {
        await using var monitor = new HealthMonitor(Options, new TestClock());
        var check = new RecordingCheck();
        monitor.RegisterComponent("redis", check, ComponentSeverity.Critical);

        var health = await monitor.CheckComponentAsync("redis");

        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal("redis", check.SeenName);
        Assert.Equal(ComponentSeverity.Critical, health.Severity);
    }

    [Fact]
    public async Task RegisterComponent_DuplicateName_Throws_AndGetComponentUnknown_Throws()
    {
        await using var monitor = new HealthMonitor();
        monitor.RegisterComponent("db", _ => Task.FromResult(HealthCheckResult.Healthy()));

        Assert.Throws<ArgumentException>(() => monitor.RegisterComponent("db", _ => Task.FromResult(HealthCheckResult.Healthy())));
        Assert.Throws<KeyNotFoundException>(() => monitor.GetComponent("nope"));
        Assert.True(monitor.TryGetStatus("db", out var status));
        Assert.Equal(HealthStatus.Healthy, status);
    }

    [Fact]
    public async Task StartAsync_ChecksAtOnceThenEveryInterval_UntilStopped()
    {
        var clock = new TestClock();
        await using var monitor = new HealthMonitor(Options, clock);
        var checks = new SemaphoreSlim(0);
        monitor.RegisterComponent("db", _ => { checks.Release(); return Task.FromResult(HealthCheckResult.Healthy()); });

        await monitor.StartAsync();
        Assert.True(await checks.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(monitor.IsRunning);
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(30));
        Assert.True(await checks.WaitAsync(TimeSpan.FromSeconds(30)));

        await monitor.StopAsync();
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(monitor.IsRunning);
        Assert.Equal(0, checks.CurrentCount);
    }

    [Fact]
    public async Task StartAsync_BeforeTheInterval_DoesNotCheckAgain()
    {
        var clock = new TestClock();
        await using var monitor = new HealthMonitor(Options, clock);
        var calls = 0;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.RegisterComponent("db", _ => { Interlocked.Increment(ref calls); first.TrySetResult(); return Task.FromResult(HealthCheckResult.Healthy()); });

        await monitor.StartAsync();
        await first.Task;
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(29));
        await monitor.StopAsync();

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Options_OutOfRange_ThrowNamingTheProperty()
    {
        Assert.Contains("HealthMonitorOptions.UnhealthyAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("HealthMonitorOptions.CheckInterval", Assert.Throws<ArgumentOutOfRangeException>(() => new HealthMonitor(new HealthMonitorOptions { CheckInterval = TimeSpan.Zero })).Message, StringComparison.Ordinal);
        Assert.Equal(7, new HealthMonitorOptions { HealthyAfter = 7 }.Clone().HealthyAfter);
    }

    private sealed class RecordingCheck : IHealthCheck
    {
        public string? SeenName { get; private set; }

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            SeenName = context.Registration.Name;
            return Task.FromResult(HealthCheckResult.Unhealthy("no"));
        }
    }
}
