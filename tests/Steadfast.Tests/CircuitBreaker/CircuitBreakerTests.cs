using Microsoft.Extensions.Time.Testing;
using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;
using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

public class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = NewTime();

    private Breaker Create(CircuitBreakerOptions? options = null) =>
        new("svc", options ?? new CircuitBreakerOptions { FailureThreshold = 3, Cooldown = TimeSpan.FromSeconds(10), HalfOpenMaxCalls = 2, SuccessThreshold = 2 }, _time);

    [Fact]
    public void Constructor_Defaults_AreThoseOfTheIssue()
    {
        var o = new CircuitBreakerOptions();
        Assert.Equal(5, o.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Cooldown);
        Assert.Equal(3, o.HalfOpenMaxCalls);
        Assert.Equal(2, o.SuccessThreshold);
        Assert.Equal(CircuitState.Closed, new Breaker("x").State);
    }

    [Fact]
    public async Task ExecuteAsync_Success_ReturnsValueAndStaysClosed()
    {
        var cb = Create();
        Assert.Equal(42, await cb.ExecuteAsync(Ok));
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(1, cb.GetMetrics().Successes);
    }

    [Fact]
    public async Task ExecuteAsync_FailuresBelowThreshold_StaysClosed()
    {
        var cb = Create();
        await FailTimes(cb, 2);
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(2, cb.GetStatus().FailureCount);
    }

    [Fact]
    public async Task ExecuteAsync_ConsecutiveFailuresAtThreshold_Opens()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task ExecuteAsync_SuccessBetweenFailures_ResetsTheCount()
    {
        var cb = Create();
        await FailTimes(cb, 2);
        await SucceedTimes(cb, 1);
        Assert.Equal(0, cb.GetStatus().FailureCount);
        await FailTimes(cb, 2);
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Fact]
    public async Task ExecuteAsync_WhenOpen_FailsFastWithoutInvokingOperation()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(4));
        var invoked = false;
        var ex = await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(_ => { invoked = true; return ValueTask.FromResult(1); }).AsTask());
        Assert.False(invoked);
        Assert.Equal("svc", ex.CircuitName);
        Assert.Equal(CircuitState.Open, ex.State);
        Assert.Equal(TimeSpan.FromSeconds(6), ex.RetryAfter);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Equal(1, cb.GetMetrics().Rejections);
    }

    [Fact]
    public async Task ExecuteAsync_BeforeCooldownElapsed_StaysOpen()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(Ok).AsTask());
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task State_AfterCooldownWithoutCall_StaysOpenUntilNextCall()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(CircuitState.Open, cb.State);
        Assert.Equal(TimeSpan.Zero, cb.GetStatus().RetryAfter);
        Assert.True(cb.TryAcquire(out _));
        Assert.Equal(CircuitState.HalfOpen, cb.State);
    }

    [Fact]
    public async Task ExecuteAsync_HalfOpenSuccessesReachThreshold_Closes()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        await SucceedTimes(cb, 1);
        Assert.Equal(CircuitState.HalfOpen, cb.State);
        await SucceedTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(0, cb.GetStatus().FailureCount);
    }

    [Fact]
    public async Task ExecuteAsync_HalfOpenFailure_ReopensForAFreshCooldown()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        await SucceedTimes(cb, 1);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
        Assert.Equal(TimeSpan.FromSeconds(10), cb.GetStatus().RetryAfter);
    }

    [Fact]
    public async Task TryAcquire_HalfOpenSlotsTaken_RejectsFurtherCalls()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cb.TryAcquire(out _));
        Assert.True(cb.TryAcquire(out _));
        Assert.False(cb.TryAcquire(out var rejection));
        Assert.Equal(CircuitState.HalfOpen, rejection.State);
        Assert.NotNull(rejection.RetryAfter);
    }

    [Fact]
    public async Task TryAcquire_HalfOpenProbesNeverReport_FreshRoundAfterOneCooldown()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cb.TryAcquire(out _));
        Assert.True(cb.TryAcquire(out _));
        Assert.False(cb.TryAcquire(out _));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cb.TryAcquire(out _));
    }

    [Fact]
    public async Task ExecuteAsync_UnhandledException_PassesThroughUncounted()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1, ShouldHandle = ex => ex is not ArgumentException });
        await Assert.ThrowsAsync<ArgumentException>(() => cb.ExecuteAsync(_ => FailWith(new ArgumentException("bad"))).AsTask());
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(0, cb.GetMetrics().Failures);
        Assert.Equal(1, cb.GetMetrics().Ignored);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task ExecuteAsync_ShouldHandleThrows_CountsAsFailureAndKeepsOriginalException()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1, ShouldHandle = _ => throw new FormatException() });
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancellation_IsNotAFailure()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cb.ExecuteAsync(async ct =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return 1;
        }, cts.Token).AsTask());
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(0, cb.GetMetrics().Failures);
    }

    [Fact]
    public async Task ExecuteAsync_CancellationNotFromCaller_CountsAsFailure()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        await Assert.ThrowsAsync<TaskCanceledException>(() => cb.ExecuteAsync(_ => FailWith(new TaskCanceledException("http timeout"))).AsTask());
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyCancelledToken_ThrowsWithoutInvoking()
    {
        var cb = Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var invoked = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cb.ExecuteAsync(_ => { invoked = true; return ValueTask.FromResult(1); }, cts.Token).AsTask());
        Assert.False(invoked);
    }

    [Fact]
    public async Task ExecuteAsync_HalfOpenProbeCancelledByCaller_FreesItsSlot()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1, HalfOpenMaxCalls = 1, SuccessThreshold = 1, Cooldown = TimeSpan.FromSeconds(10) });
        await FailTimes(cb, 1);
        _time.Advance(TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cb.ExecuteAsync(async ct =>
        {
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return 1;
        }, cts.Token).AsTask());
        Assert.Equal(CircuitState.HalfOpen, cb.State);
        await SucceedTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Fact]
    public async Task ExecuteAsync_NonGeneric_CountsSuccessAndFailure()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        await cb.ExecuteAsync(_ => ValueTask.CompletedTask);
        Assert.Equal(1, cb.GetMetrics().Successes);
        await Assert.ThrowsAsync<InvalidOperationException>(() => cb.ExecuteAsync(_ => ValueTask.FromException(new InvalidOperationException())).AsTask());
        Assert.Equal(CircuitState.Open, cb.State);
        await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(_ => ValueTask.CompletedTask).AsTask());
    }

    [Fact]
    public async Task ExecuteAsync_AsynchronousOperation_CompletesThroughTheCircuit()
    {
        var cb = Create();
        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = cb.ExecuteAsync(async _ => await tcs.Task).AsTask();
        Assert.False(call.IsCompleted);
        tcs.SetResult(7);
        Assert.Equal(7, await call);
        Assert.Equal(1, cb.GetMetrics().Successes);
    }

    [Fact]
    public async Task ExecuteAsync_WithFallback_UsedWhenOpen()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        await FailTimes(cb, 1);
        Exception? seen = null;
        var r = await cb.ExecuteAsync(Ok, (ex, _) => { seen = ex; return ValueTask.FromResult(-1); });
        Assert.Equal(-1, r);
        Assert.IsType<CircuitOpenException>(seen);
    }

    [Fact]
    public async Task ExecuteAsync_WithFallback_UsedWhenTheCallFails()
    {
        var cb = Create();
        Exception? seen = null;
        var r = await cb.ExecuteAsync(Fail, (ex, _) => { seen = ex; return ValueTask.FromResult(-1); });
        Assert.Equal(-1, r);
        Assert.IsType<InvalidOperationException>(seen);
        Assert.Equal(1, cb.GetMetrics().Failures);
    }

    [Fact]
    public async Task ExecuteAsync_WithFallback_NotUsedOnSuccessOrUnhandledException()
    {
        var cb = Create(new CircuitBreakerOptions { ShouldHandle = ex => ex is not ArgumentException });
        Assert.Equal(42, await cb.ExecuteAsync(Ok, (_, _) => ValueTask.FromResult(-1)));
        await Assert.ThrowsAsync<ArgumentException>(() => cb.ExecuteAsync(_ => FailWith(new ArgumentException()), (_, _) => ValueTask.FromResult(-1)).AsTask());
    }

    [Fact]
    public async Task Isolate_RejectsEveryCallUntilReset()
    {
        var cb = Create();
        cb.Isolate();
        Assert.Equal(CircuitState.Isolated, cb.State);
        _time.Advance(TimeSpan.FromDays(1));
        var ex = await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(Ok).AsTask());
        Assert.Equal(CircuitState.Isolated, ex.State);
        Assert.Null(ex.RetryAfter);
        cb.Reset();
        Assert.Equal(CircuitState.Closed, cb.State);
        await SucceedTimes(cb, 1);
    }

    [Fact]
    public async Task Reset_WhenOpen_ClosesAndClearsCountsButKeepsLastError()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        cb.Reset();
        var status = cb.GetStatus();
        Assert.Equal(CircuitState.Closed, status.State);
        Assert.Equal(0, status.FailureCount);
        Assert.Equal("InvalidOperationException: boom", status.LastError);
        Assert.Null(status.OpenedAt);
    }

    [Fact]
    public async Task GetStatus_WhenOpen_ReportsEverything()
    {
        var cb = Create();
        var start = _time.GetUtcNow();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(3));
        var s = cb.GetStatus();
        Assert.Equal("svc", s.Name);
        Assert.Equal(CircuitState.Open, s.State);
        Assert.Equal(3, s.FailureCount);
        Assert.Equal(start, s.LastFailureAt);
        Assert.Equal(start, s.OpenedAt);
        Assert.Equal(TimeSpan.FromSeconds(7), s.RetryAfter);
        Assert.Equal(1, s.ConsecutiveOpenings);
    }

    [Fact]
    public async Task GetMetrics_CountsEveryKindOfCall()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 2, ShouldHandle = ex => ex is not ArgumentException });
        await SucceedTimes(cb, 2);
        await Assert.ThrowsAsync<ArgumentException>(() => cb.ExecuteAsync(_ => FailWith(new ArgumentException())).AsTask());
        await FailTimes(cb, 2);
        await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(Ok).AsTask());
        var m = cb.GetMetrics();
        Assert.Equal(2, m.Successes);
        Assert.Equal(2, m.Failures);
        Assert.Equal(1, m.Rejections);
        Assert.Equal(1, m.Ignored);
        Assert.Equal(6, m.TotalCalls);
        Assert.Equal(0.5, m.SuccessRate);
    }

    [Fact]
    public void GetMetrics_NoCalls_SuccessRateIsOne() => Assert.Equal(1.0, Create().GetMetrics().SuccessRate);

    [Fact]
    public async Task StateChanged_RaisedForEveryTransitionWithReason()
    {
        var cb = Create();
        var seen = new List<(CircuitState, CircuitState, CircuitTransitionReason)>();
        cb.StateChanged += (_, e) => seen.Add((e.OldState, e.NewState, e.Reason));
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        await SucceedTimes(cb, 2);
        cb.Isolate();
        cb.Reset();
        Assert.Equal(
            [
                (CircuitState.Closed, CircuitState.Open, CircuitTransitionReason.FailureThresholdReached),
                (CircuitState.Open, CircuitState.HalfOpen, CircuitTransitionReason.CooldownElapsed),
                (CircuitState.HalfOpen, CircuitState.Closed, CircuitTransitionReason.ProbesSucceeded),
                (CircuitState.Closed, CircuitState.Isolated, CircuitTransitionReason.ManualIsolation),
                (CircuitState.Isolated, CircuitState.Closed, CircuitTransitionReason.ManualReset),
            ],
            seen);
    }

    [Fact]
    public async Task StateChanged_SubscriberThrows_CallAndOtherSubscribersUnaffected()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        var second = 0;
        cb.StateChanged += (_, _) => throw new InvalidTimeZoneException("subscriber bug");
        cb.StateChanged += (_, _) => second++;
        await FailTimes(cb, 1);
        Assert.Equal(1, second);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task StateChanged_RaisedOutsideTheLock_SubscriberCanReadStatus()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        CircuitBreakerStatus? status = null;
        cb.StateChanged += (s, _) => status = Task.Run(() => ((Breaker)s!).GetStatus()).GetAwaiter().GetResult();
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, status!.State);
    }

    [Fact]
    public async Task StateChanged_NoChange_NotRaised()
    {
        var cb = Create();
        var raised = 0;
        cb.StateChanged += (_, _) => raised++;
        cb.Reset();
        await SucceedTimes(cb, 3);
        Assert.Equal(0, raised);
    }

    [Fact]
    public async Task Cooldown_GrowthFactor_GrowsOnEachReopeningUpToMax()
    {
        var cb = Create(new CircuitBreakerOptions
        {
            FailureThreshold = 1, HalfOpenMaxCalls = 1, SuccessThreshold = 1,
            Cooldown = TimeSpan.FromSeconds(10), CooldownGrowthFactor = 2, MaxCooldown = TimeSpan.FromSeconds(30),
        });
        await FailTimes(cb, 1);
        Assert.Equal(TimeSpan.FromSeconds(10), cb.GetStatus().RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(10));
        await FailTimes(cb, 1);
        Assert.Equal(TimeSpan.FromSeconds(20), cb.GetStatus().RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(20));
        await FailTimes(cb, 1);
        Assert.Equal(TimeSpan.FromSeconds(30), cb.GetStatus().RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(30));
        await SucceedTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
        await FailTimes(cb, 1);
        Assert.Equal(TimeSpan.FromSeconds(10), cb.GetStatus().RetryAfter);
    }

    [Fact]
    public async Task Cooldown_NoGrowthFactor_StaysConstant()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1, HalfOpenMaxCalls = 1, SuccessThreshold = 1, Cooldown = TimeSpan.FromSeconds(10) });
        await FailTimes(cb, 1);
        _time.Advance(TimeSpan.FromSeconds(10));
        await FailTimes(cb, 1);
        Assert.Equal(TimeSpan.FromSeconds(10), cb.GetStatus().RetryAfter);
        Assert.Equal(2, cb.GetStatus().ConsecutiveOpenings);
    }

    [Fact]
    public async Task LowLevelApi_RecordOutcomes_DriveTheStateLikeExecuteAsync()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 2, HalfOpenMaxCalls = 1, SuccessThreshold = 1, Cooldown = TimeSpan.FromSeconds(10) });
        Assert.True(cb.TryAcquire(out _));
        Assert.True(cb.RecordFailure(new TimeoutException()));
        Assert.True(cb.TryAcquire(out _));
        Assert.True(cb.RecordFailure(new TimeoutException()));
        Assert.Equal(CircuitState.Open, cb.State);
        Assert.False(cb.TryAcquire(out var rejection));
        Assert.Equal(TimeSpan.FromSeconds(10), rejection.RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cb.TryAcquire(out _));
        cb.ReleaseWithoutOutcome();
        Assert.True(cb.TryAcquire(out _));
        cb.RecordSuccess();
        Assert.Equal(CircuitState.Closed, cb.State);
        await Task.CompletedTask;
    }

    [Fact]
    public void RecordFailure_CallerCancelled_ReturnsFalse()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.False(cb.RecordFailure(new OperationCanceledException(cts.Token), cts.Token));
        Assert.True(cb.RecordFailure(new OperationCanceledException()));
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task LateOutcome_FromCallAdmittedBeforeOpening_DoesNotChangeOpenCircuit()
    {
        var cb = Create(new CircuitBreakerOptions { FailureThreshold = 1 });
        Assert.True(cb.TryAcquire(out _));
        await FailTimes(cb, 1);
        cb.RecordSuccess();
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public void Options_MutatedAfterConstruction_DoNotAffectTheBreaker()
    {
        var options = new CircuitBreakerOptions { FailureThreshold = 2 };
        var cb = new Breaker("x", options, _time);
        options.FailureThreshold = 0;
        Assert.Equal(2, cb.Options.FailureThreshold);
    }

    [Fact]
    public void Constructor_EmptyName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Breaker(" "));
        Assert.Throws<ArgumentNullException>(() => new Breaker(null!));
    }
}
