using Microsoft.Extensions.Time.Testing;
using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;
using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

public class CircuitBreakerSnapshotTests
{
    private static readonly CircuitBreakerOptions Options = new() { FailureThreshold = 3, Cooldown = TimeSpan.FromSeconds(30), HalfOpenMaxCalls = 1, SuccessThreshold = 1 };
    private readonly FakeTimeProvider _time = NewTime();

    [Fact]
    public async Task GetSnapshot_Open_CapturesAbsoluteTimesAndError()
    {
        var cb = new Breaker("snap", Options, _time);
        var openedAt = _time.GetUtcNow();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(1));
        var s = cb.GetSnapshot();
        Assert.Equal("snap", s.Name);
        Assert.Equal(CircuitState.Open, s.State);
        Assert.Equal(3, s.ConsecutiveFailures);
        Assert.Equal(openedAt, s.OpenedAt);
        Assert.Equal(openedAt + TimeSpan.FromSeconds(30), s.OpenUntil);
        Assert.Equal(1, s.ConsecutiveOpenings);
        Assert.Equal(openedAt, s.LastFailureAt);
        Assert.Equal("InvalidOperationException: boom", s.LastError);
        Assert.Equal(_time.GetUtcNow(), s.SavedAt);
    }

    [Fact]
    public async Task Restore_OpenSnapshot_StaysOpenForTheRestOfTheCooldown()
    {
        var original = new Breaker("snap", Options, _time);
        await FailTimes(original, 3);
        var snapshot = original.GetSnapshot();
        _time.Advance(TimeSpan.FromSeconds(20));

        var restored = new Breaker("snap", Options, _time);
        restored.Restore(snapshot);
        Assert.Equal(CircuitState.Open, restored.State);
        var ex = await Assert.ThrowsAsync<CircuitOpenException>(() => restored.ExecuteAsync(Ok).AsTask());
        Assert.Equal(TimeSpan.FromSeconds(10), ex.RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(10));
        await SucceedTimes(restored, 1);
        Assert.Equal(CircuitState.Closed, restored.State);
    }

    [Fact]
    public async Task Restore_RoundTrip_StatusMatches()
    {
        var original = new Breaker("snap", Options, _time);
        await FailTimes(original, 3);
        var restored = new Breaker("snap", Options, _time);
        restored.Restore(original.GetSnapshot());
        Assert.Equal(original.GetStatus(), restored.GetStatus());
        Assert.Equal(original.GetSnapshot(), restored.GetSnapshot());
    }

    [Fact]
    public async Task Restore_ClosedWithFailures_KeepsCounting()
    {
        var original = new Breaker("snap", Options, _time);
        await FailTimes(original, 2);
        var restored = new Breaker("snap", Options, _time);
        restored.Restore(original.GetSnapshot());
        Assert.Equal(2, restored.GetStatus().FailureCount);
        await FailTimes(restored, 1);
        Assert.Equal(CircuitState.Open, restored.State);
    }

    [Fact]
    public async Task Restore_HalfOpenSnapshot_ComesBackOpenReadyToProbe()
    {
        var original = new Breaker("snap", Options, _time);
        await FailTimes(original, 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(original.TryAcquire(out _));
        var snapshot = original.GetSnapshot();
        Assert.Equal(CircuitState.HalfOpen, snapshot.State);

        var restored = new Breaker("snap", Options, _time);
        restored.Restore(snapshot);
        Assert.Equal(CircuitState.Open, restored.State);
        await SucceedTimes(restored, 1);
        Assert.Equal(CircuitState.Closed, restored.State);
    }

    [Fact]
    public void Restore_Isolated_StaysIsolated()
    {
        var original = new Breaker("snap", Options, _time);
        original.Isolate();
        var restored = new Breaker("snap", Options, _time);
        restored.Restore(original.GetSnapshot());
        Assert.Equal(CircuitState.Isolated, restored.State);
    }

    [Fact]
    public void Restore_RaisesStateChangedWithRestoredReason()
    {
        var original = new Breaker("snap", Options, _time);
        original.Isolate();
        var restored = new Breaker("snap", Options, _time);
        CircuitTransitionReason? reason = null;
        restored.StateChanged += (_, e) => reason = e.Reason;
        restored.Restore(original.GetSnapshot());
        Assert.Equal(CircuitTransitionReason.Restored, reason);
    }

    [Fact]
    public void Restore_SnapshotOfAnotherCircuit_Throws()
    {
        var cb = new Breaker("a", Options, _time);
        var ex = Assert.Throws<ArgumentException>(() => cb.Restore(new CircuitBreakerSnapshot { Name = "b" }));
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_GrowingCooldown_ContinuesFromStoredOpenings()
    {
        var growing = new CircuitBreakerOptions { FailureThreshold = 1, HalfOpenMaxCalls = 1, SuccessThreshold = 1, Cooldown = TimeSpan.FromSeconds(10), CooldownGrowthFactor = 2 };
        var cb = new Breaker("g", growing, _time);
        cb.Restore(new CircuitBreakerSnapshot { Name = "g", State = CircuitState.Open, ConsecutiveOpenings = 2, OpenUntil = _time.GetUtcNow() });
        await FailTimes(cb, 1);
        Assert.Equal(TimeSpan.FromSeconds(40), cb.GetStatus().RetryAfter);
    }
}
