using Microsoft.Extensions.Logging.Abstractions;

namespace Steadfast.Tests.Engine;

/// <summary>The adaptive hedge delay: the 90th percentile of the strategy's answers, cut answers that ran past it included.</summary>
public sealed class HedgeDelaysTests
{
    private static HedgeDelays NewDelays() =>
        new(new ResilienceOptions { StrategyTimeout = TimeSpan.FromSeconds(10) }, new EngineLearning(null, NullLogger.Instance));

    private static HedgeDelays WithWins(int count, int milliseconds)
    {
        var delays = NewDelays();
        for (var i = 0; i < count; i++)
        {
            delays.Record("op", "slow", TimeSpan.FromMilliseconds(milliseconds));
        }

        return delays;
    }

    [Fact]
    public void DelayFor_WinsOnly_IsTheirNinetiethPercentile()
    {
        var delays = NewDelays();
        for (var i = 1; i <= 10; i++)
        {
            delays.Record("op", "slow", TimeSpan.FromMilliseconds(i * 10));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(90), delays.DelayFor("op", "slow"));
    }

    [Theory]
    [InlineData(120, 120)] // cut past the 50 ms estimate: at least 120 ms, in the tail, so the 90th percentile rises
    [InlineData(40, 50)]   // cut before the estimate: says nothing about the tail, not noted
    public void RecordCut_CutAnswers_RaiseTheDelayOnlyWhenPastTheEstimate(int ranForMs, int expectedMs)
    {
        // Hedges that won cut the leader's answers: counted as at least what they had run when that is past the estimate.
        var delays = WithWins(28, 50);
        var before = delays.DelayFor("op", "slow");

        for (var i = 0; i < 4; i++)
        {
            delays.RecordCut("op", "slow", TimeSpan.FromMilliseconds(ranForMs));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(50), before);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delays.DelayFor("op", "slow"));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delays.SlowAfter("op", "slow"));
    }

    [Theory]
    [InlineData(1500, 1500)] // past the guess of a tenth of the 10 s timeout: noted, five of them make the estimate
    [InlineData(900, 1000)]  // before it: not noted, the guess stays
    public void RecordCut_NothingKnown_NotedOnlyPastTheGuess(int ranForMs, int expectedDelayMs)
    {
        var delays = NewDelays();
        for (var i = 0; i < 5; i++)
        {
            delays.RecordCut("op", "slow", TimeSpan.FromMilliseconds(ranForMs));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(expectedDelayMs), delays.DelayFor("op", "slow"));
    }
}
