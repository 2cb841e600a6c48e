namespace Steadfast.Tests.Retry;

public class RetryScheduleTests
{
    private static RetrySchedule Schedule(Action<RetryOptions>? configure = null, Func<double>? random = null)
    {
        var options = new RetryOptions { Jitter = false };
        configure?.Invoke(options);
        return new RetrySchedule(options, random ?? (() => 0.5));
    }

    [Fact]
    public void GetDelay_NoJitter_GrowsByFactorUntilMaxDelay()
    {
        var schedule = Schedule(o => o.MaxDelay = TimeSpan.FromSeconds(5));
        var delays = Enumerable.Range(0, 6).Select(i => schedule.GetDelay(i, null, out _).TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 5, 5, 5], delays);
    }

    [Fact]
    public void GetDelay_CustomFactor_UsesIt()
    {
        var schedule = Schedule(o => o.BackoffFactor = 3);
        Assert.Equal([1, 3, 9, 27], Enumerable.Range(0, 4).Select(i => schedule.GetDelay(i, null, out _).TotalSeconds));
    }

    [Fact]
    public void GetDelay_FactorOne_IsConstant()
    {
        var schedule = Schedule(o => o.BackoffFactor = 1);
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(TimeSpan.FromSeconds(1), schedule.GetDelay(i, null, out var _)));
    }

    [Fact]
    public void GetDelay_HugeAttemptIndex_SaturatesAtMaxDelay()
    {
        var schedule = Schedule(o => { o.BackoffFactor = 10; o.MaxDelay = TimeSpan.FromDays(1); });
        Assert.Equal(TimeSpan.FromDays(1), schedule.GetDelay(99, null, out _));
    }

    [Theory]
    [InlineData(0.0, 0.75)]
    [InlineData(0.5, 1.0)]
    [InlineData(1.0, 1.25)]
    public void GetDelay_Jitter_StaysWithinQuarterOfBackoff(double random, double expectedRatio)
    {
        var schedule = Schedule(o => { o.Jitter = true; o.InitialDelay = TimeSpan.FromSeconds(4); }, () => random);
        Assert.Equal(4 * expectedRatio, schedule.GetDelay(0, null, out _).TotalSeconds, 6);
    }

    [Fact]
    public void GetDelay_RealRandomJitter_SpreadsWithinBounds()
    {
        var schedule = new RetrySchedule(new RetryOptions { InitialDelay = TimeSpan.FromSeconds(2) }, Random.Shared.NextDouble);
        var delays = Enumerable.Range(0, 500).Select(i => schedule.GetDelay(1, null, out var _).TotalSeconds).ToArray();
        Assert.All(delays, d => Assert.InRange(d, 3.0, 5.0));
        Assert.True(delays.Distinct().Count() > 10, "jitter should spread the delays");
    }

    [Fact]
    public void GetDelay_JitterNearCap_NeverExceedsMaxDelay()
    {
        var schedule = Schedule(o => { o.Jitter = true; o.MaxDelay = TimeSpan.FromSeconds(1); }, () => 1.0);
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.GetDelay(0, null, out _));
    }

    [Fact]
    public void GetDelay_RetryAfterLongerThanBackoff_WaitsTheHint()
    {
        var schedule = Schedule();
        var failure = new ServiceException("slow down", 429, TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(20), schedule.GetDelay(0, failure, out var hint));
        Assert.Equal(TimeSpan.FromSeconds(20), hint);
    }

    [Fact]
    public void GetDelay_RetryAfterShorterThanBackoff_KeepsBackoff()
    {
        var schedule = Schedule();
        var failure = new ServiceException("slow down", 429, TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromSeconds(4), schedule.GetDelay(2, failure, out var hint));
        Assert.Null(hint);
    }

    [Fact]
    public void GetDelay_RetryAfterBeyondMaxDelay_IsCappedAtMaxDelay()
    {
        var schedule = Schedule(o => o.MaxDelay = TimeSpan.FromSeconds(30));
        var failure = new InvalidOperationException("throttled") { Data = { [ErrorClassifier.RetryAfterDataKey] = 3600 } };
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.GetDelay(0, failure, out _));
    }
}
