namespace Steadfast.Tests.Engine;

public class StrategyRankerTests
{
    [Fact]
    public void Score_NoHistory_IsPriorityTimesNeutralRateSquared()
    {
        Assert.Equal(0.25, StrategyRanker.Score(1.0, StrategyRanker.Unknown, TimeSpan.Zero, 0m, 1m), 10);
        Assert.Equal(0.2, StrategyRanker.Score(0.8, StrategyRanker.Unknown, TimeSpan.Zero, 0m, 1m), 10);
    }

    [Fact]
    public void Score_ReliableButSlow_OutranksFastButFailingOften()
    {
        // The demo's archive (always answers, 180 ms, priority 0.5) against flaky_mirror (a third of calls fail, 35 ms,
        // priority 0.9): each failed attempt costs the caller a request, so reliability wins once it is known...
        var archive = StrategyRanker.Score(0.5, 1.0, TimeSpan.FromMilliseconds(180), 0m, 1m);
        var flaky = StrategyRanker.Score(0.9, 0.67, TimeSpan.FromMilliseconds(35), 0m, 1m);
        Assert.True(archive > flaky, $"archive {archive} vs flaky {flaky}");

        // ...but not at any price: a strategy that fails rarely keeps its lead for its speed and priority.
        var mostlyFine = StrategyRanker.Score(0.9, 0.95, TimeSpan.FromMilliseconds(35), 0m, 1m);
        Assert.True(mostlyFine > archive, $"mostly fine {mostlyFine} vs archive {archive}");
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
