using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

/// <summary>
/// Recency-weighted success rate and latency: an attempt weighs 2^-(age / 30 s) × 2^-(later attempts / 3); the rate is
/// (s + 1) / (s + f + 2) over the weighted counts. The cumulative counts are not weighted.
/// </summary>
public sealed class FailureAnalyzerRecentStatisticsTests : IAsyncLifetime
{
    private const string Op = "fetch_data";
    private const string Strategy = "primary";
    private static readonly double R = Math.Pow(2, -1.0 / 3); // one later attempt
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private FailureAnalyzer _analyzer = null!;

    public Task InitializeAsync()
    {
        _analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), timeProvider: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _analyzer.DisposeAsync();

    private StrategyStatistics Stats => _analyzer.GetStrategyStatistics(Strategy, Op);

    private static double Laplace(double s, double f) => (s + 1) / (s + f + 2);

    /// <summary>The weight of n attempts in a row just after the last one: 1 + r + ... + r^(n-1).</summary>
    private static double Weight(int n) => (1 - Math.Pow(R, n)) / (1 - R);

    private void Fail(int times)
    {
        for (var i = 0; i < times; i++)
        {
            _analyzer.RecordFailure(new TimeoutException("timed out"), Op, strategy: Strategy);
        }
    }

    private void Succeed(int times, int milliseconds = 20)
    {
        for (var i = 0; i < times; i++)
        {
            _analyzer.RecordSuccess(Op, Strategy, TimeSpan.FromMilliseconds(milliseconds));
        }
    }

    [Theory]
    [InlineData(true)]  // the caller read this analyzer's clock: its time is taken, no second read
    [InlineData(false)] // the caller's time came from another clock: ignored, the analyzer reads its own
    public void RecordSuccessAt_CallersTime_TakenOnlyFromTheAnalyzersOwnClock(bool sameClock)
    {
        var other = new FakeTimeProvider(new DateTimeOffset(2031, 5, 5, 0, 0, 0, TimeSpan.Zero));
        var clock = sameClock ? (TimeProvider)_time : other;
        var at = clock.GetUtcNow() - TimeSpan.FromSeconds(1);

        _analyzer.RecordSuccessAt(Op, Strategy, TimeSpan.FromMilliseconds(5), at, clock);

        Assert.Equal(sameClock ? at : _time.GetUtcNow(), Stats.LastSuccessAt);
    }

    [Fact]
    public void RecentValues_NothingKnown_PriorOfOneHalfAndNoLatency()
    {
        Assert.Equal(0.5, Stats.RecentSuccessRate);
        Assert.Equal(TimeSpan.Zero, Stats.RecentMeanLatency);
    }

    [Fact]
    public void RecentSuccessRate_EachLaterAttempt_OlderEvidenceFadesByTheAttemptHalfLife()
    {
        Fail(2);
        Succeed(1);

        // Failures weigh r² and r, the success 1.
        Assert.Equal(Laplace(1, (R * R) + R), Stats.RecentSuccessRate, 12);
        Assert.Equal(1.0 / 3, Stats.SuccessRate, 12);
    }

    [Fact]
    public void RecentSuccessRate_TimePasses_EvidenceFadesByTheTimeHalfLife_TowardTheHalfPrior()
    {
        Fail(6);
        var failures = Weight(6);
        Assert.Equal(Laplace(0, failures), Stats.RecentSuccessRate, 12);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Laplace(0, failures / 2), Stats.RecentSuccessRate, 12);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0.5, Stats.RecentSuccessRate, 6);
        Assert.Equal(6, Stats.Failures);
    }

    [Fact]
    public async Task RecentSuccessRate_AfterALongOutageNeverBlacklisted_ThreeSuccessesInARowBringItBackToOneHalf()
    {
        // No automatic blacklisting here: only the fading of the evidence brings the strategy back.
        await _analyzer.DisposeAsync();
        _analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), new FailureAnalyzerOptions { BlacklistThreshold = 10_000 }, _time);
        Fail(1000);
        Assert.InRange(Stats.RecentSuccessRate, 0.14, 0.15);

        Succeed(3);
        Assert.Equal(0.5, Stats.RecentSuccessRate, 6);

        Succeed(2);
        Assert.InRange(Stats.RecentSuccessRate, 0.6, 0.65);

        // The cumulative rate still remembers the whole outage.
        Assert.True(Stats.SuccessRate < 0.01);
    }

    [Fact]
    public void RecentSuccessRate_OutageEndsWithASuccessThatLiftsTheAutomaticEntry_RecentFailuresAreForgotten()
    {
        Fail(1000);
        Assert.True(_analyzer.IsStrategyBlacklisted(Strategy, Op));
        Assert.InRange(Stats.RecentSuccessRate, 0.14, 0.15);

        Succeed(1); // the recovery: lifts the automatic entry

        Assert.False(_analyzer.IsStrategyBlacklisted(Strategy, Op));
        Assert.Equal(Laplace(1, 0), Stats.RecentSuccessRate, 12); // 2/3 at once, not the 0.28 the outage would leave
        Assert.Equal(1000, Stats.Failures); // the cumulative counts keep the outage
    }

    [Fact]
    public void RecentSuccessRate_RecoveryAfterAHealthyPast_ItsStandingFromBeforeTheOutageComesBack()
    {
        Succeed(1000);
        var before = Stats.RecentSuccessRate;
        Fail(20);
        _time.Advance(TimeSpan.FromMinutes(10)); // a long outage: its time does not age the evidence from before it
        Assert.True(_analyzer.IsStrategyBlacklisted(Strategy, Op));

        Succeed(1); // the recovery probe

        // What it earned before the outage, plus the probe's success: at once at the top, so the engine calls it again.
        Assert.Equal(Laplace((Weight(1000) * R) + 1, 0), Stats.RecentSuccessRate, 9);
        Assert.True(Stats.RecentSuccessRate >= before);
    }

    [Fact]
    public void RecentSuccessRate_FailuresWithoutALift_NotForgotten()
    {
        Succeed(1000);
        Fail(2); // below the blacklist threshold: nothing is lifted by the next success

        Succeed(1);

        Assert.True(Stats.RecentSuccessRate < Laplace((Weight(1000) * R) + 1, 0) - 0.01);
    }

    [Fact]
    public void RecentSuccessRate_HealthyStrategy_CeilingOfTheWeightedPrior()
    {
        Succeed(1000);

        Assert.Equal(Laplace(Weight(1000), 0), Stats.RecentSuccessRate, 9);
        Assert.InRange(Stats.RecentSuccessRate, 0.85, 0.86);
    }

    [Fact]
    public async Task StatisticsHalfLifeAttempts_One_EachAttemptHalvesOlderEvidence()
    {
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), new FailureAnalyzerOptions { StatisticsHalfLifeAttempts = 1 }, _time);
        analyzer.RecordFailure(new TimeoutException(), Op, strategy: Strategy);
        analyzer.RecordFailure(new TimeoutException(), Op, strategy: Strategy);
        analyzer.RecordSuccess(Op, Strategy);

        Assert.Equal(Laplace(1, 0.25 + 0.5), analyzer.GetStrategyStatistics(Strategy, Op).RecentSuccessRate, 12);
    }

    [Fact]
    public async Task StatisticsHalfLife_Shorter_ForgetsSooner()
    {
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), new FailureAnalyzerOptions { StatisticsHalfLife = TimeSpan.FromSeconds(1) }, _time);
        analyzer.RecordFailure(new TimeoutException(), Op, strategy: Strategy);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(Laplace(0, 0.25), analyzer.GetStrategyStatistics(Strategy, Op).RecentSuccessRate, 12);
    }

    [Fact]
    public void RecentSuccessRate_BothDecaysTogether_MultiplyTheWeights()
    {
        Fail(1);
        _time.Advance(TimeSpan.FromSeconds(3)); // less than a probe interval: a pause this short does not end an outage
        Succeed(1);

        Assert.Equal(Laplace(1, R * Math.Pow(2, -0.1)), Stats.RecentSuccessRate, 12);
    }

    [Fact]
    public void RecentSuccessRate_SuccessAfterAPauseOfAProbeInterval_EndsTheOutage()
    {
        Succeed(10);
        var healthy = Stats.RecentSuccessRate;
        Fail(2); // ranked down, not blacklisted
        _time.Advance(new FailureAnalyzerOptions().BlacklistProbeInterval);

        Succeed(1); // a recovery probe: the failures described an outage that is over

        Assert.False(_analyzer.IsStrategyBlacklisted(Strategy, Op));
        Assert.True(Stats.RecentSuccessRate > healthy);
        Assert.Equal(2, Stats.Failures); // the cumulative counts keep them
    }

    [Fact]
    public void RecentMeanLatency_FollowsTheLastFewSuccesses_CumulativeMeanDoesNot()
    {
        Succeed(5, milliseconds: 500);
        Succeed(3, milliseconds: 50);

        // Weights: the 50 ms successes 1, r, r²; the 500 ms ones r³ .. r⁷.
        var fast = Weight(3);
        var slow = Math.Pow(R, 3) * Weight(5);
        var expected = ((50 * fast) + (500 * slow)) / (fast + slow);
        Assert.Equal(expected, Stats.RecentMeanLatency.TotalMilliseconds, 3);
        Assert.InRange(Stats.RecentMeanLatency.TotalMilliseconds, 150, 250);
        Assert.Equal(TimeSpan.FromMilliseconds(331.25), Stats.MeanLatency);
    }

    [Fact]
    public void RecentMeanLatency_AfterALongPause_TheNextSuccessSetsIt()
    {
        Succeed(100, milliseconds: 500);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(500, Stats.RecentMeanLatency.TotalMilliseconds, 3); // time alone does not change a mean

        Succeed(1, milliseconds: 50);

        Assert.Equal(50, Stats.RecentMeanLatency.TotalMilliseconds, 3);
    }

    [Fact]
    public void RecentMeanLatency_FailuresAgeItToo_SuccessesWithoutDurationDoNotMoveIt()
    {
        Succeed(1, milliseconds: 100);
        Fail(3);
        _analyzer.RecordSuccess(Op, Strategy);
        Succeed(1, milliseconds: 300);

        // The 100 ms sample is 5 attempts old (weight r⁵), the 300 ms one new (weight 1).
        var old = Math.Pow(R, 5);
        Assert.Equal(((100 * old) + 300) / (old + 1), Stats.RecentMeanLatency.TotalMilliseconds, 3);
    }

    [Fact]
    public void RecentValues_PerStrategyAndOperation()
    {
        Fail(5);
        _analyzer.RecordSuccess(Op, "backup", TimeSpan.FromMilliseconds(80));

        Assert.Equal(Laplace(1, 0), _analyzer.GetStrategyStatistics("backup", Op).RecentSuccessRate, 12);
        Assert.Equal(0.5, _analyzer.GetStrategyStatistics(Strategy, "other_op").RecentSuccessRate);
        Assert.Contains(_analyzer.GetAllStrategyStatistics(Op), s => s.StrategyName == Strategy && s.RecentSuccessRate < 0.2);
    }

    [Fact]
    public async Task Load_StoredStatistics_SeedRecentValuesAgedByTheirLastTimes()
    {
        var store = new InMemoryFailureStore(timeProvider: _time);
        var now = _time.GetUtcNow();
        await store.MergeStrategyStatisticsAsync(
        [
            new StrategyStatistics { StrategyName = "fresh", Operation = Op, Failures = 100, LastFailureAt = now.AddSeconds(-30) },
            new StrategyStatistics { StrategyName = "stale", Operation = Op, Failures = 100, LastFailureAt = now.AddDays(-1) },
            new StrategyStatistics { StrategyName = "fast", Operation = Op, Successes = 4, LatencySamples = 4, MeanLatency = TimeSpan.FromMilliseconds(40), LastSuccessAt = now.AddMinutes(-5) },
        ]);

        await using var analyzer = new FailureAnalyzer(store, timeProvider: _time);
        await analyzer.EnsureLoadedAsync();

        // 100 attempts weigh what 100 in a row would (at most 1 / (1 - r)), halved by their age of one half-life.
        Assert.Equal(Laplace(0, Weight(100) / 2), analyzer.GetStrategyStatistics("fresh", Op).RecentSuccessRate, 9);
        Assert.Equal(0.5, analyzer.GetStrategyStatistics("stale", Op).RecentSuccessRate, 9);
        Assert.Equal(100, analyzer.GetStrategyStatistics("stale", Op).Failures);
        Assert.Equal(TimeSpan.FromMilliseconds(40), analyzer.GetStrategyStatistics("fast", Op).RecentMeanLatency);
    }

    [Fact]
    public async Task Load_AfterOwnAttempts_LoadedEvidenceGoesUnderneathAsOlder()
    {
        var store = new LoadGatedStore(new InMemoryFailureStore(timeProvider: _time));
        await store.Inner.MergeStrategyStatisticsAsync([new StrategyStatistics { StrategyName = Strategy, Operation = Op, Failures = 3, LastFailureAt = _time.GetUtcNow() }]);
        await using var analyzer = new FailureAnalyzer(store, timeProvider: _time);
        analyzer.RecordSuccess(Op, Strategy, TimeSpan.FromMilliseconds(10));
        analyzer.RecordSuccess(Op, Strategy, TimeSpan.FromMilliseconds(10));

        store.Open();
        await analyzer.EnsureLoadedAsync();

        // The loaded failures come before this process's two successes: aged by two attempts.
        var stats = analyzer.GetStrategyStatistics(Strategy, Op);
        Assert.Equal(Laplace(1 + R, Weight(3) * R * R), stats.RecentSuccessRate, 9);
        Assert.Equal(2, stats.Successes);
        Assert.Equal(3, stats.Failures);
    }
}
