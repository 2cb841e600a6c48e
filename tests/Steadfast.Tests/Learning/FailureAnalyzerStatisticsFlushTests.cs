using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

/// <summary>
/// Statistics increments are coalesced: counted in memory at once, written to the store as one merged item when
/// <see cref="FailureAnalyzerOptions.StatisticsFlushInterval"/> has passed or <see cref="FailureAnalyzerOptions.StatisticsFlushThreshold"/>
/// increments are pending, whichever comes first.
/// </summary>
public sealed class FailureAnalyzerStatisticsFlushTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private const int Threshold = 10;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly MergeWatchingStore _store;
    private FailureAnalyzer _analyzer = null!;

    public FailureAnalyzerStatisticsFlushTests() => _store = new MergeWatchingStore(new InMemoryFailureStore(timeProvider: _time));

    public async Task InitializeAsync()
    {
        _analyzer = new FailureAnalyzer(_store, new FailureAnalyzerOptions { StatisticsFlushInterval = Interval, StatisticsFlushThreshold = Threshold }, _time);

        // Drain the start-up work (the first cleanup) so that from here on only the rules under test wake the writer.
        await _analyzer.FlushAsync();
    }

    public async Task DisposeAsync() => await _analyzer.DisposeAsync();

    [Fact]
    public async Task RecordSuccess_BeforeInterval_CountedInMemoryButNotWritten()
    {
        for (var i = 0; i < Threshold - 1; i++)
        {
            _analyzer.RecordSuccess("op", "s", TimeSpan.FromMilliseconds(100));
        }

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));

        Assert.Equal(Threshold - 1, _analyzer.GetStrategyStatistics("s", "op").Successes);
        Assert.Empty(await _store.GetStrategyStatisticsAsync());
        Assert.Equal(0, _store.Merges);
    }

    [Fact]
    public async Task RecordSuccess_IntervalPassed_WritesOneMergedItemWithExactStatistics()
    {
        _analyzer.RecordSuccess("op", "s", TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _analyzer.RecordSuccess("op", "s", TimeSpan.FromMilliseconds(200));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _analyzer.RecordSuccess("op", "s", TimeSpan.FromMilliseconds(600));
        var last = _time.GetUtcNow();
        _analyzer.RecordSuccess("op", "other");
        var merged = _store.NextMerge;

        _time.Advance(Interval);
        await merged.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, _store.Merges);
        var s = (await _store.GetStrategyStatisticsAsync()).Single(x => x.StrategyName == "s");
        Assert.Equal(3, s.Successes);
        Assert.Equal(3, s.LatencySamples);
        Assert.Equal(TimeSpan.FromMilliseconds(300), s.MeanLatency);
        Assert.Equal(last, s.LastSuccessAt);
        Assert.Equal(1, (await _store.GetStrategyStatisticsAsync()).Single(x => x.StrategyName == "other").Successes);
    }

    [Fact]
    public async Task RecordSuccess_ThresholdReached_WritesAtOnceWithoutWaitingForTheInterval()
    {
        var merged = _store.NextMerge;
        for (var i = 0; i < Threshold; i++)
        {
            _analyzer.RecordSuccess("op", "s");
        }

        await merged.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Threshold, Assert.Single(await _store.GetStrategyStatisticsAsync()).Successes);
    }

    [Fact]
    public async Task RecordSuccess_AfterAWrite_NextIncrementsAreWrittenAsIncrementsNotTotals()
    {
        _analyzer.RecordSuccess("op", "s");
        await _analyzer.FlushAsync();
        _analyzer.RecordSuccess("op", "s");
        _analyzer.RecordSuccess("op", "s");
        _time.Advance(Interval);
        await _analyzer.FlushAsync();

        Assert.Equal(3, Assert.Single(await _store.GetStrategyStatisticsAsync()).Successes);
        Assert.Equal(3, _analyzer.GetStrategyStatistics("s", "op").Successes);
    }

    [Fact]
    public async Task RecordFailure_WritesPendingSuccessesWithTheFailure()
    {
        _analyzer.RecordSuccess("op", "s");
        var merged = _store.NextMerge;
        _analyzer.RecordFailure(new TimeoutException(), "op", strategy: "s");
        await merged.WaitAsync(TimeSpan.FromSeconds(30));

        var s = Assert.Single(await _store.GetStrategyStatisticsAsync());
        Assert.Equal(1, s.Successes);
        Assert.Equal(1, s.Failures);
    }

    [Fact]
    public async Task DisposeAsync_WritesPendingIncrementsBeforeTheInterval()
    {
        _analyzer.RecordSuccess("op", "s");
        await _analyzer.DisposeAsync();

        Assert.Equal(1, Assert.Single(await _store.GetStrategyStatisticsAsync()).Successes);
    }

    [Fact]
    public async Task RecordSuccess_AfterDispose_CountsInMemoryWithoutThrowing()
    {
        await _analyzer.DisposeAsync();

        _analyzer.RecordSuccess("op", "s");

        Assert.Equal(1, _analyzer.GetStrategyStatistics("s", "op").Successes);
    }

    [Theory]
    [InlineData("b", true)]
    [InlineData("a", false)]
    public async Task RecordSuccess_BreaksOnlyTheStreakOfItsOwnStrategy(string succeeding, bool aBlacklisted)
    {
        var options = new FailureAnalyzerOptions { BlacklistThreshold = 3 };
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), options, _time);
        analyzer.RecordFailure(new TimeoutException(), "op", strategy: "a");
        analyzer.RecordFailure(new TimeoutException(), "op", strategy: "a");
        analyzer.RecordSuccess("op", succeeding);
        analyzer.RecordFailure(new TimeoutException(), "op", strategy: "a");

        Assert.Equal(aBlacklisted, analyzer.IsStrategyBlacklisted("a", "op"));
        Assert.False(analyzer.IsStrategyBlacklisted("b", "op"));
    }

    /// <summary>The real in-memory store, with a signal each time the analyzer writes statistics to it.</summary>
    private sealed class MergeWatchingStore(InMemoryFailureStore inner) : DelegatingFailureStore(inner)
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _merges;

        public int Merges => Volatile.Read(ref _merges);

        public Task NextMerge => Volatile.Read(ref _next).Task;

        public override async ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default)
        {
            await base.MergeStrategyStatisticsAsync(increments, cancellationToken);
            Interlocked.Increment(ref _merges);
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }
}
