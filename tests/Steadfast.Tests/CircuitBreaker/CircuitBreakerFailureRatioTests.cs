using Microsoft.Extensions.Time.Testing;
using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;
using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

public class CircuitBreakerFailureRatioTests
{
    private readonly FakeTimeProvider _time = NewTime();

    private Breaker Create(int minimumThroughput = 4, double ratio = 0.5) => new("ratio", new CircuitBreakerOptions
    {
        Mode = CircuitBreakerMode.FailureRatio,
        FailureRatio = ratio,
        MinimumThroughput = minimumThroughput,
        SamplingDuration = TimeSpan.FromSeconds(10),
        Cooldown = TimeSpan.FromSeconds(5),
        HalfOpenMaxCalls = 1,
        SuccessThreshold = 1,
    }, _time);

    [Fact]
    public async Task FailureRatio_RatioReachedWithThroughput_Opens()
    {
        var cb = Create();
        await SucceedTimes(cb, 2);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task FailureRatio_BelowMinimumThroughput_StaysClosedEvenAtFullFailure()
    {
        var cb = Create(minimumThroughput: 5);
        await FailTimes(cb, 4);
        Assert.Equal(CircuitState.Closed, cb.State);
        Assert.Equal(4, cb.GetStatus().FailureCount);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task FailureRatio_BelowRatio_StaysClosed()
    {
        var cb = Create(ratio: 0.6);
        await SucceedTimes(cb, 3);
        await FailTimes(cb, 4);
        Assert.Equal(CircuitState.Closed, cb.State);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task FailureRatio_OldCallsSlideOutOfTheWindow()
    {
        var cb = Create();
        await FailTimes(cb, 3);
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, cb.GetStatus().FailureCount);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Fact]
    public async Task FailureRatio_ConsecutiveFailuresDoNotMatter_OnlyTheRatio()
    {
        var cb = Create(minimumThroughput: 6, ratio: 0.5);
        for (var i = 0; i < 3; i++)
        {
            await SucceedTimes(cb, 1);
            await FailTimes(cb, 1);
        }

        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task FailureRatio_HalfOpenSuccessCloses_AndClearsTheWindow()
    {
        var cb = Create();
        await FailTimes(cb, 4);
        Assert.Equal(CircuitState.Open, cb.State);
        _time.Advance(TimeSpan.FromSeconds(5));
        await SucceedTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
        await FailTimes(cb, 3);
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Fact]
    public async Task FailureRatio_HalfOpenFailure_Reopens()
    {
        var cb = Create();
        await FailTimes(cb, 4);
        _time.Advance(TimeSpan.FromSeconds(5));
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
    }

    [Fact]
    public async Task FailureRatio_SystemClock_OpensToo()
    {
        var cb = new Breaker("ratio-system", new CircuitBreakerOptions { Mode = CircuitBreakerMode.FailureRatio, MinimumThroughput = 4, SamplingDuration = TimeSpan.FromMinutes(10) });
        await SucceedTimes(cb, 2);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
        await FailTimes(cb, 1);
        Assert.Equal(CircuitState.Open, cb.State);
    }
}
