using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Steadfast.HealthChecks;

namespace Steadfast.Tests.HealthChecks;

public sealed class SteadfastHealthChecksTests
{
    private static HealthCheckContext Context(IHealthCheck check) =>
        new() { Registration = new HealthCheckRegistration("x", check, HealthStatus.Unhealthy, null) };

    [Fact]
    public async Task AddSteadfast_RegistersTheChecks_AllHealthyOnAFreshSetup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSteadfast();
        services.AddHealthChecks().AddSteadfast().AddSteadfastQueue("orders");
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(["steadfast-checkpoints", "steadfast-circuits", "steadfast-health", "steadfast-learning", "steadfast-queue-orders"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task Circuits_OpenCircuit_IsUnhealthy_HalfOpenDegraded_ClosedHealthy()
    {
        var registry = new CircuitBreakerRegistry();
        var check = new CircuitsHealthCheck(registry);
        var circuit = registry.GetOrCreate("payments");
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check))).Status);

        circuit.Isolate();
        var result = await check.CheckHealthAsync(Context(check));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("payments", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_BacklogOrDeadLettersAtThreshold_IsDegraded_BelowIsHealthy()
    {
        await using var store = new InMemoryQueueStore();
        await store.TryEnqueueAsync(new byte[] { 1 }, 0, DateTimeOffset.UnixEpoch, 100);
        await store.TryEnqueueAsync(new byte[] { 2 }, 0, DateTimeOffset.UnixEpoch, 100);

        var below = new QueueHealthCheck(store, new SteadfastHealthCheckOptions { QueueBacklogThreshold = 3 });
        var at = new QueueHealthCheck(store, new SteadfastHealthCheckOptions { QueueBacklogThreshold = 2 });

        Assert.Equal(HealthStatus.Healthy, (await below.CheckHealthAsync(Context(below))).Status);
        Assert.Equal(HealthStatus.Degraded, (await at.CheckHealthAsync(Context(at))).Status);
    }

    [Fact]
    public async Task Monitor_ReportsTheMonitorsOverallStatus()
    {
        await using var monitor = new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 1 });
        monitor.RegisterComponent("db", _ => Task.FromResult(HealthCheckResult.Unhealthy("down")), ComponentSeverity.High);
        var check = new MonitorHealthCheck(monitor);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(Context(check))).Status);

        await monitor.CheckNowAsync();

        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(Context(check))).Status);
    }

    [Fact]
    public async Task AddSteadfast_RegistersTheBusMonitorModesAndOrchestrator_AndARegisteredBusWins()
    {
        var services = new ServiceCollection();
        services.AddSteadfast();
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.IsType<InProcessEventBus>(provider.GetRequiredService<IEventBus>());
            Assert.NotNull(provider.GetRequiredService<HealthMonitor>());
            Assert.NotNull(provider.GetRequiredService<OperationModeManager>());
            Assert.NotNull(provider.GetRequiredService<ErrorRecoveryOrchestrator>());
        }

        var mine = new InProcessEventBus();
        var custom = new ServiceCollection();
        custom.AddSingleton<IEventBus>(mine);
        custom.AddSteadfast();
        await using var customProvider = custom.BuildServiceProvider();
        Assert.Same(mine, customProvider.GetRequiredService<IEventBus>());
        await mine.DisposeAsync();
    }
}
