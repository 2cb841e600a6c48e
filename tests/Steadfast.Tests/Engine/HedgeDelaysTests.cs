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

    [Fact]
    public void RecordUnanswered_CutAnswersPastTheEstimate_RaiseTheDelay()
    {
        // Hedges that won cut the leader's slow answers: counted as at least what they had run, they stay in the tail.
        var delays = WithWins(28, 50);
        var before = delays.DelayFor("op", "slow");

        for (var i = 0; i < 4; i++)
        {
            delays.RecordUnanswered("op", "slow", TimeSpan.FromMilliseconds(120));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(50), before);
        Assert.Equal(TimeSpan.FromMilliseconds(120), delays.DelayFor("op", "slow"));
        Assert.Equal(TimeSpan.FromMilliseconds(120), delays.SlowAfter("op", "slow"));
    }
}
