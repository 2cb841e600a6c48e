using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Recovery;

public sealed class ErrorRecoveryOrchestratorTests
{
    private static ErrorContext Error(ErrorSeverity severity, string component = "api_service", Exception? ex = null) =>
        new(ex ?? new TimeoutException("slow"), component, "fetch", severity);

    [Theory]
    [InlineData(ErrorSeverity.Low, RecoveryAction.Retry)]
    [InlineData(ErrorSeverity.Medium, RecoveryAction.Retry | RecoveryAction.Fallback)]
    [InlineData(ErrorSeverity.High, RecoveryAction.CircuitBreak | RecoveryAction.Fallback)]
    [InlineData(ErrorSeverity.Critical, RecoveryAction.FullRecovery | RecoveryAction.Alert)]
    [InlineData(ErrorSeverity.Fatal, RecoveryAction.FullRecovery | RecoveryAction.Alert)]
    public async Task HandleErrorAsync_Severity_DecidesTheBaseActions(ErrorSeverity severity, RecoveryAction expected)
    {
        await using var bus = new InProcessEventBus();
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions(), new TestClock());

        var decision = await orchestrator.HandleErrorAsync(Error(severity));

        Assert.Equal(expected, decision.Actions);
        Assert.False(decision.Escalated);
    }

    [Fact]
    public async Task HandleErrorAsync_PatternAtThreshold_DoesNotEscalate_AboveItEscalatesOneLevel()
    {
        await using var bus = new InProcessEventBus();
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions(), new TestClock());
        RecoveryDecision decision = null!;
        for (var i = 0; i < 5; i++)
        {
            decision = await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low));
        }

        Assert.False(decision.Escalated);
        Assert.Equal(RecoveryAction.Retry, decision.Actions);

        decision = await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low));
        Assert.True(decision.Escalated);
        Assert.Equal(ErrorSeverity.Medium, decision.Severity);
        Assert.Equal(RecoveryAction.Retry | RecoveryAction.Fallback, decision.Actions);
        Assert.Contains("recurred 6 times", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleErrorAsync_OccurrencesOutsideTheWindow_DoNotCount()
    {
        var clock = new TestClock();
        await using var bus = new InProcessEventBus();
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions { PatternWindow = TimeSpan.FromMinutes(1) }, clock);
        for (var i = 0; i < 5; i++)
        {
            await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low));
        }

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var decision = await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low));

        Assert.False(decision.Escalated);
        Assert.Equal(1, decision.PatternCount);
    }

    [Fact]
    public async Task HandleErrorAsync_OtherComponentOrErrorType_IsAnotherPattern()
    {
        await using var bus = new InProcessEventBus();
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions { PatternEscalationThreshold = 1 }, new TestClock());
        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low));

        Assert.False((await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low, "other"))).Escalated);
        Assert.False((await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low, ex: new InvalidOperationException()))).Escalated);
        Assert.True((await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low))).Escalated);
    }

    [Fact]
    public async Task HandleErrorAsync_FatalPattern_CannotEscalateFurther()
    {
        await using var bus = new InProcessEventBus();
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions { PatternEscalationThreshold = 1 }, new TestClock());
        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Fatal));

        var decision = await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Fatal));

        Assert.False(decision.Escalated);
        Assert.Equal(ErrorSeverity.Fatal, decision.Severity);
    }

    [Fact]
    public async Task HandleErrorAsync_CircuitBreak_OpensTheRegisteredCircuitForItsCooldown()
    {
        var clock = new TestClock();
        await using var bus = new InProcessEventBus();
        var transitions = new ConcurrentQueue<CircuitStateChanged>();
        using var sub = bus.Subscribe<CircuitStateChanged>((e, _) => { transitions.Enqueue(e); return Task.CompletedTask; });
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions(), clock);
        var cb = orchestrator.RegisterCircuitBreaker("api_service", new CircuitBreakerOptions { Cooldown = TimeSpan.FromSeconds(10) });
        Assert.Same(cb, orchestrator.RegisterCircuitBreaker("api_service"));

        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Medium));
        Assert.Equal(CircuitState.Closed, cb.State);

        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.High));
        Assert.Equal(CircuitState.Open, cb.State);
        Assert.False(cb.TryAcquire(out _));

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cb.TryAcquire(out _));
        Assert.Equal(CircuitState.HalfOpen, cb.State);
        await bus.PublishAndWaitAsync(new CircuitStateChanged("marker", CircuitState.Closed, CircuitState.Closed, CircuitTransitionReason.Restored, default));
        Assert.Equal([CircuitState.Open, CircuitState.HalfOpen], transitions.Where(t => t.Circuit == "api_service").Select(t => t.Current));
        Assert.Equal(CircuitState.HalfOpen, orchestrator.GetStatus().Circuits["api_service"]);
    }

    [Fact]
    public async Task HandleErrorAsync_PublishesErrorRecordedAndOneActionEventPerAction()
    {
        await using var bus = new InProcessEventBus();
        var recorded = new ConcurrentQueue<ErrorRecorded>();
        var actions = new ConcurrentQueue<RecoveryActionTaken>();
        using var a = bus.Subscribe<ErrorRecorded>((e, _) => { recorded.Enqueue(e); return Task.CompletedTask; });
        using var b = bus.Subscribe<RecoveryActionTaken>((e, _) => { actions.Enqueue(e); return Task.CompletedTask; });
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, null, new TestClock());

        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Medium, ex: new InvalidOperationException("password=hunter2 failed")));
        await bus.PublishAndWaitAsync(new ErrorRecorded("m", "", "", "", ErrorSeverity.Low, default));
        await bus.PublishAndWaitAsync(new RecoveryActionTaken("m", "", RecoveryAction.None, ErrorSeverity.Low, false, "", default));

        var error = recorded.First();
        Assert.Equal(("api_service", "fetch", typeof(InvalidOperationException).FullName), (error.Component, error.Operation, error.ErrorType));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Equal([RecoveryAction.Retry, RecoveryAction.Fallback], actions.Where(x => x.Component == "api_service").Select(x => x.Action));
    }

    [Fact]
    public async Task HandleErrorAsync_Alerts_ThrottledPerComponent_RecoveredAlertAfter()
    {
        var clock = new TestClock();
        await using var bus = new InProcessEventBus();
        var alerts = new ConcurrentQueue<OperatorAlert>();
        using var sub = bus.Subscribe<OperatorAlert>((e, _) => { alerts.Enqueue(e); return Task.CompletedTask; });
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions(), clock);

        Assert.True((await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Critical))).AlertSent);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False((await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Critical))).AlertSent);
        Assert.True((await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Critical, "billing"))).AlertSent);
        clock.Advance(TimeSpan.FromMinutes(1));
        var third = await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Critical));
        Assert.True(third.AlertSent);
        Assert.Equal(["api_service", "billing"], orchestrator.GetStatus().ComponentsInAlert);

        Assert.True(await orchestrator.ReportRecoveredAsync("api_service"));
        Assert.False(await orchestrator.ReportRecoveredAsync("api_service"));
        await bus.PublishAndWaitAsync(new OperatorAlert("marker", OperatorAlertKind.Problem, ErrorSeverity.Low, "", default, 0));

        var mine = alerts.Where(x => x.Component == "api_service").ToList();
        Assert.Equal([OperatorAlertKind.Problem, OperatorAlertKind.Problem, OperatorAlertKind.Recovered], mine.Select(x => x.Kind));
        Assert.Equal(1, mine[1].SuppressedCount);
        Assert.Equal(["billing"], orchestrator.GetStatus().ComponentsInAlert);
    }

    [Fact]
    public async Task RecoveredAlert_SentWhenTheCircuitCloses_OrTheHealthComponentIsHealthy()
    {
        var clock = new TestClock();
        await using var bus = new InProcessEventBus();
        var alerts = new ConcurrentQueue<OperatorAlert>();
        using var sub = bus.Subscribe<OperatorAlert>((e, _) => { alerts.Enqueue(e); return Task.CompletedTask; });
        await using var monitor = new HealthMonitor(new HealthMonitorOptions { UnhealthyAfter = 1, HealthyAfter = 1 }, clock);
        var healthy = false;
        monitor.RegisterComponent("db", _ => Task.FromResult(healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy()));
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions(), monitor, clock);
        var cb = orchestrator.RegisterCircuitBreaker("api_service");
        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Critical));
        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Critical, "db"));
        await monitor.CheckNowAsync();

        cb.Isolate();
        cb.Reset();
        healthy = true;
        await monitor.CheckNowAsync();
        await bus.PublishAndWaitAsync(new OperatorAlert("marker", OperatorAlertKind.Problem, ErrorSeverity.Low, "", default, 0));

        Assert.Equal(2, alerts.Count(a => a.Kind == OperatorAlertKind.Recovered));
        Assert.Empty(orchestrator.GetStatus().ComponentsInAlert);
    }

    [Fact]
    public async Task History_IsBounded_AndStatusCountsBySeverityAndComponent()
    {
        await using var bus = new InProcessEventBus();
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions { MaxErrorHistory = 3 }, new TestClock());
        for (var i = 0; i < 5; i++)
        {
            await orchestrator.HandleErrorAsync(Error(i % 2 == 0 ? ErrorSeverity.Low : ErrorSeverity.High, "c" + (i % 2)));
        }

        var status = orchestrator.GetStatus();

        Assert.Equal(5, status.TotalErrors);
        Assert.Equal(3, status.HistoryCount);
        Assert.Equal(3, status.RecentErrors.Count);
        Assert.Equal(3, status.ErrorsBySeverity[ErrorSeverity.Low]);
        Assert.Equal(2, status.ErrorsByComponent["c1"]);
        Assert.Equal(3, status.Patterns[0].Count);
    }

    [Fact]
    public async Task StartAsync_BackgroundAnalysis_CleansUpPatternsOlderThanTheWindow()
    {
        var clock = new TestClock();
        await using var bus = new InProcessEventBus();
        await using var orchestrator = new ErrorRecoveryOrchestrator(bus, new RecoveryOptions { PatternWindow = TimeSpan.FromMinutes(1), AnalysisInterval = TimeSpan.FromMinutes(1) }, clock);
        var analyzed = new SemaphoreSlim(0);
        orchestrator.AnalysisCompleted = () => analyzed.Release();
        await orchestrator.HandleErrorAsync(Error(ErrorSeverity.Low));
        await orchestrator.StartAsync();
        await clock.WaitForTimerAsync();
        Assert.Equal(1, orchestrator.PatternCount);

        clock.Advance(TimeSpan.FromSeconds(30));
        orchestrator.AnalyzeNow();
        Assert.Equal(1, orchestrator.PatternCount);

        clock.Advance(TimeSpan.FromSeconds(31)); // the periodic analysis is due (60 s after the start)
        Assert.True(await analyzed.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(clock.GetUtcNow(), orchestrator.GetStatus().LastAnalysisAt);
        Assert.Equal(0, orchestrator.PatternCount);
    }

    [Fact]
    public void Options_OutOfRange_ThrowNamingTheProperty()
    {
        using var bus = new DisposableBus();
        Assert.Contains("RecoveryOptions.PatternEscalationThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorRecoveryOrchestrator(bus.Bus, new RecoveryOptions { PatternEscalationThreshold = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("RecoveryOptions.MaxErrorHistory", Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorRecoveryOrchestrator(bus.Bus, new RecoveryOptions { MaxErrorHistory = 0 })).Message, StringComparison.Ordinal);
        var defaults = new RecoveryOptions();
        Assert.Equal((5, TimeSpan.FromMinutes(10)), (defaults.PatternEscalationThreshold, defaults.AlertThrottle));
        Assert.Equal(9, new RecoveryOptions { MaxErrorHistory = 9 }.Clone().MaxErrorHistory);
    }

    private sealed class DisposableBus : IDisposable
    {
        public InProcessEventBus Bus { get; } = new();

        public void Dispose() => Bus.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
