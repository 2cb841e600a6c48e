namespace Steadfast.Tests.Engine;

public class StrategyRankerTests
{
    [Fact]
    public void Score_NoHistory_IsPriorityTimesNeutralRate()
    {
        Assert.Equal(0.5, StrategyRanker.Score(1.0, StrategyRanker.Unknown, TimeSpan.Zero, 0m, 1m), 10);
        Assert.Equal(0.4, StrategyRanker.Score(0.8, StrategyRanker.Unknown, TimeSpan.Zero, 0m, 1m), 10);
    }

    [Fact]
    public void Score_LowerSuccessRate_RanksLower()
    {
        Assert.True(StrategyRanker.Score(1.0, 0.85, TimeSpan.Zero, 0m, 1m) > StrategyRanker.Score(1.0, 0.3, TimeSpan.Zero, 0m, 1m));
    }

    [Fact]
    public void Score_SlowerOrCostlier_RanksLower()
    {
        var fast = StrategyRanker.Score(1.0, 0.8, TimeSpan.FromMilliseconds(100), 0m, 1m);
        var slow = StrategyRanker.Score(1.0, 0.8, TimeSpan.FromSeconds(1), 0m, 1m);
        var cheap = StrategyRanker.Score(1.0, 0.8, TimeSpan.Zero, 0m, 1m);
        var dear = StrategyRanker.Score(1.0, 0.8, TimeSpan.Zero, 1m, 1m);

        Assert.True(fast > slow);
        Assert.Equal(cheap / 2, dear, 10);
    }
}
