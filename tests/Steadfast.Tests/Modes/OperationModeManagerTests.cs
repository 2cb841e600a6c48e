using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Modes;

public sealed class OperationModeManagerTests
{
    [Fact]
    public async Task MarkComponentDegradedAsync_MediumSeverity_IsDegraded_HighIsEmergency()
    {
        using var modes = new OperationModeManager(null, new TestClock());

        await modes.MarkComponentDegradedAsync("openai", "timeouts", ComponentSeverity.Medium);
        Assert.Equal(OperationMode.Degraded, modes.CurrentMode);

        await modes.MarkComponentDegradedAsync("db", "down", ComponentSeverity.High);
        Assert.Equal(OperationMode.Emergency, modes.CurrentMode);
    }

    [Fact]
    public async Task MarkComponentNormalAsync_LastOneBack_IsNormal_NotBefore()
    {
        using var modes = new OperationModeManager();
        await modes.MarkComponentDegradedAsync("a", "x");
        await modes.MarkComponentDegradedAsync("b", "y");

        await modes.MarkComponentNormalAsync("a");
        Assert.Equal(OperationMode.Degraded, modes.CurrentMode);

        await modes.MarkComponentNormalAsync("b");
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
        Assert.Empty(modes.GetDegradedComponents());
    }

    [Fact]
    public async Task SetModeAsync_IsAFloorUntilSetToNormal()
    {
        using var modes = new OperationModeManager();
        await modes.SetModeAsync(OperationMode.Degraded, "planned maintenance");
        await modes.MarkComponentDegradedAsync("a", "x");
        await modes.MarkComponentNormalAsync("a");
        Assert.Equal(OperationMode.Degraded, modes.CurrentMode);
        Assert.Equal("planned maintenance", Assert.Single(modes.GetDegradationReasons()).Description);

        await modes.SetModeAsync(OperationMode.Normal, "done");
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
        Assert.Empty(modes.GetDegradationReasons());
    }

    [Fact]
    public async Task ModeChanged_RaisedOnChangeOnly_ThrowingListenerIgnored_AndPublished()
    {
        await using var bus = new InProcessEventBus();
        var published = new ConcurrentQueue<OperationModeChanged>();
        using var sub = bus.Subscribe<OperationModeChanged>((e, _) => { published.Enqueue(e); return Task.CompletedTask; });
        var logs = new CapturingLoggerFactory();
        using var modes = new OperationModeManager(null, bus, new TestClock(), logs);
        var seen = new List<OperationModeChangedEventArgs>();
        modes.ModeChanged += (_, _) => throw new InvalidOperationException("bad listener");
        modes.ModeChanged += (_, e) => seen.Add(e);

        await modes.MarkComponentDegradedAsync("a", "timeouts");
        await modes.MarkComponentDegradedAsync("a", "still timeouts"); // same mode: no event
        await bus.PublishAndWaitAsync(new OperationModeChanged(OperationMode.Normal, OperationMode.Normal, [], default));

        var change = Assert.Single(seen);
        Assert.Equal((OperationMode.Normal, OperationMode.Degraded), (change.Previous, change.Current));
        Assert.Equal("a", Assert.Single(change.Reasons).Component);
        Assert.Equal(2, published.Count);
        Assert.Contains(logs.Entries, e => e.Id == 1 && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task MarkComponentDegradedAsync_Again_KeepsSinceAndUpdatesReason()
    {
        var clock = new TestClock();
        using var modes = new OperationModeManager(null, clock);
        await modes.MarkComponentDegradedAsync("a", "first");
        var since = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));

        await modes.MarkComponentDegradedAsync("a", "second token=abc123secret", ComponentSeverity.Low);

        var component = modes.GetDegradedComponents()["a"];
        Assert.Equal(since, component.Since);
        Assert.StartsWith("second", component.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123secret", component.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IsFeatureEnabled_FollowsTheMode()
    {
        using var modes = new OperationModeManager();
        modes.DefineFeature("recommendations", disabledFrom: OperationMode.Degraded);
        modes.DefineFeature("reports", disabledFrom: OperationMode.Emergency);
        Assert.True(modes.IsFeatureEnabled("recommendations"));
        Assert.True(modes.IsFeatureEnabled("never-defined"));

        await modes.MarkComponentDegradedAsync("a", "x");
        Assert.False(modes.IsFeatureEnabled("recommendations"));
        Assert.True(modes.IsFeatureEnabled("reports"));

        await modes.SetModeAsync(OperationMode.Emergency, "fire");
        Assert.False(modes.IsFeatureEnabled("reports"));
        Assert.True(modes.IsFeatureEnabled("never-defined"));
        Assert.Throws<ArgumentOutOfRangeException>(() => modes.DefineFeature("x", OperationMode.Normal));
    }

    [Fact]
    public async Task Monitor_MediumComponentUnhealthy_IsDegraded_ThenNormalWhenHealthy()
    {
        await using var monitor = new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 1, HealthyAfter = 1 }, new TestClock());
        var healthy = false;
        monitor.RegisterComponent("primary_api", _ => Task.FromResult(healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("outage")));
        using var modes = new OperationModeManager(monitor, new TestClock());

        await monitor.CheckNowAsync();
        Assert.Equal(OperationMode.Degraded, modes.CurrentMode);
        Assert.Contains("outage", modes.GetDegradedComponents()["primary_api"].Reason, StringComparison.Ordinal);

        healthy = true;
        await monitor.CheckNowAsync();
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
    }

    [Fact]
    public async Task Monitor_HighComponentUnhealthy_IsEmergency_ButOnlyDegradedWhileDegraded()
    {
        await using var monitor = new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 2 }, new TestClock());
        monitor.RegisterComponent("db", _ => Task.FromResult(HealthCheckResult.Unhealthy("down")), ComponentSeverity.High);
        using var modes = new OperationModeManager(monitor);

        await monitor.CheckNowAsync();
        Assert.Equal(OperationMode.Degraded, modes.CurrentMode);

        await monitor.CheckNowAsync();
        Assert.Equal(OperationMode.Emergency, modes.CurrentMode);
    }

    [Fact]
    public async Task Monitor_LowComponentDegraded_StaysNormal()
    {
        await using var monitor = new HealthMonitor();
        monitor.RegisterComponent("thumbnails", _ => Task.FromResult(HealthCheckResult.Degraded("slow")), ComponentSeverity.Low);
        using var modes = new OperationModeManager(monitor);

        await monitor.CheckNowAsync();

        Assert.Equal(HealthStatus.Degraded, monitor.GetComponent("thumbnails").Status);
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
    }

    [Fact]
    public async Task Monitor_CircuitAlreadyOpenAtConstruction_IsPickedUp()
    {
        await using var monitor = new HealthMonitor();
        var circuit = new global::Steadfast.CircuitBreaker("payments");
        circuit.Isolate();
        monitor.RegisterCircuit(circuit, ComponentSeverity.Critical);

        using var modes = new OperationModeManager(monitor);

        Assert.Equal(OperationMode.Emergency, modes.CurrentMode);
        circuit.Reset();
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
    }

    [Fact]
    public async Task Dispose_StopsFollowingTheMonitor()
    {
        await using var monitor = new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 1 });
        monitor.RegisterComponent("a", _ => Task.FromResult(HealthCheckResult.Unhealthy()));
        var modes = new OperationModeManager(monitor);
        modes.Dispose();

        await monitor.CheckNowAsync();

        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
    }
}
