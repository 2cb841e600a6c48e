using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

/// <summary>Recovery probes of automatically blacklisted strategies (BlacklistProbeInterval 5 s, entries of 1 h).</summary>
public sealed class FailureAnalyzerProbeTests : IAsyncLifetime
{
    private const string Op = "fetch_data";
    private const string Strategy = "provider_x";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private InMemoryFailureStore _store = null!;
    private FailureAnalyzer _analyzer = null!;

    public Task InitializeAsync()
    {
        _store = new InMemoryFailureStore(timeProvider: _time);
        _analyzer = new FailureAnalyzer(_store, timeProvider: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _analyzer.DisposeAsync();

    /// <summary>Blacklists the strategy automatically (5 timeouts, the last one now) and returns the entry.</summary>
    private BlacklistEntry Blacklist(FailureAnalyzer? analyzer = null)
    {
        analyzer ??= _analyzer;
        for (var i = 0; i < 5; i++)
        {
            if (i > 0)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }

            analyzer.RecordFailure(new TimeoutException("timed out"), Op, strategy: Strategy);
        }

        return analyzer.GetBlacklistEntry(Strategy, Op) ?? throw new InvalidOperationException("not blacklisted");
    }

    private void FailProbe() => _analyzer.RecordFailure(new TimeoutException("still down"), Op, strategy: Strategy);

    [Fact]
    public void GetNextProbeAt_NotBlacklisted_IsNull()
    {
        Assert.Null(_analyzer.GetNextProbeAt(Strategy, Op));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));
    }

    [Fact]
    public void GetNextProbeAt_AutomaticEntry_OneIntervalAfterItWasMade()
    {
        var entry = Blacklist();

        Assert.Equal(entry.AddedAt + Interval, _analyzer.GetNextProbeAt(Strategy, Op));
    }

    [Fact]
    public void TryBeginProbe_BeforeTheInterval_Refused_AtTheInterval_Claimed()
    {
        Blacklist();
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));
    }

    [Fact]
    public async Task RecordSuccess_OfTheProbe_LiftsTheAutomaticEntryInMemoryAndInTheStore()
    {
        Blacklist();
        await _analyzer.FlushAsync();
        Assert.Single(await _store.GetBlacklistAsync(includeExpired: false));
        _time.Advance(Interval);
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));

        _analyzer.RecordSuccess(Op, Strategy, TimeSpan.FromMilliseconds(20));

        Assert.False(_analyzer.IsStrategyBlacklisted(Strategy, Op));
        Assert.Null(_analyzer.GetNextProbeAt(Strategy, Op));
        await _analyzer.FlushAsync();
        Assert.Empty(await _store.GetBlacklistAsync(includeExpired: true));
    }

    [Fact]
    public async Task ManualEntry_NeverProbed_AndASuccessDoesNotLiftIt()
    {
        await _analyzer.AddToBlacklistAsync(Strategy, Op, "maintenance", TimeSpan.FromHours(1));
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(_analyzer.GetNextProbeAt(Strategy, Op));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));
        _analyzer.RecordSuccess(Op, Strategy);
        Assert.True(_analyzer.IsStrategyBlacklisted(Strategy, Op));
    }

    [Fact]
    public async Task ManualEntry_ReplacingAnAutomaticOne_StopsItsProbes()
    {
        Blacklist();
        await _analyzer.AddToBlacklistAsync(Strategy, Op, "by hand");
        _time.Advance(Interval);

        Assert.Null(_analyzer.GetNextProbeAt(Strategy, Op));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));
    }

    [Fact]
    public void TryBeginProbe_ManyConcurrentCallers_ExactlyOneWins()
    {
        Blacklist();
        _time.Advance(Interval);

        // Dedicated threads released together by a barrier (pool threads would be injected one by one).
        const int Callers = 16;
        var wins = new bool[Callers];
        using var start = new Barrier(Callers);
        var threads = Enumerable.Range(0, Callers).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            wins[i] = _analyzer.TryBeginProbe(Strategy, Op);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(1, wins.Count(w => w));
    }

    [Fact]
    public void RecordFailure_WhileProbing_DoublesTheInterval()
    {
        Blacklist();
        var expected = Interval;
        for (var i = 0; i < 4; i++)
        {
            _time.Advance(_analyzer.GetNextProbeAt(Strategy, Op)!.Value - _time.GetUtcNow());
            Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
            _time.Advance(TimeSpan.FromMilliseconds(100));

            FailProbe();

            expected *= 2;
            Assert.Equal(_time.GetUtcNow() + expected, _analyzer.GetNextProbeAt(Strategy, Op));
        }

        Assert.Equal(TimeSpan.FromSeconds(80), expected);
    }

    [Fact]
    public void RecordFailure_WithoutAClaimedProbe_LeavesTheScheduleAlone()
    {
        var entry = Blacklist();
        _time.Advance(TimeSpan.FromSeconds(1));

        FailProbe();

        Assert.Equal(entry.AddedAt + Interval, _analyzer.GetNextProbeAt(Strategy, Op));
    }

    [Fact]
    public async Task GetNextProbeAt_DoublingPastTheExpiry_CappedAtExpiresAt()
    {
        var options = new FailureAnalyzerOptions { BlacklistDuration = TimeSpan.FromSeconds(30), MaxBlacklistDuration = TimeSpan.FromSeconds(30) };
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), options, _time);
        var entry = Blacklist(analyzer);

        // Probes at +5 s (next +10 s), +15 s (next +20 s): +35 s would be after the entry lapses at +30 s.
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(analyzer.GetNextProbeAt(Strategy, Op)!.Value - _time.GetUtcNow());
            Assert.True(analyzer.TryBeginProbe(Strategy, Op));
            analyzer.RecordFailure(new TimeoutException(), Op, strategy: Strategy);
        }

        Assert.Equal(entry.ExpiresAt, analyzer.GetNextProbeAt(Strategy, Op));
        _time.Advance(entry.ExpiresAt!.Value - _time.GetUtcNow());
        Assert.Null(analyzer.GetNextProbeAt(Strategy, Op));
        Assert.False(analyzer.TryBeginProbe(Strategy, Op));
    }

    [Fact]
    public void CancelProbe_DoesNotDouble_NextProbeAfterTheRetryAfter()
    {
        Blacklist();
        _time.Advance(Interval);
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));

        _analyzer.CancelProbe(Strategy, Op, TimeSpan.FromSeconds(2));

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(2), _analyzer.GetNextProbeAt(Strategy, Op));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
        FailProbe();
        Assert.Equal(_time.GetUtcNow() + (2 * Interval), _analyzer.GetNextProbeAt(Strategy, Op));
    }

    [Fact]
    public void CancelProbe_WithoutRetryAfter_ProbeDueAtOnce()
    {
        Blacklist();
        _time.Advance(Interval);
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));

        _analyzer.CancelProbe(Strategy, Op, retryAfter: null);

        Assert.Equal(_time.GetUtcNow(), _analyzer.GetNextProbeAt(Strategy, Op));
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
    }

    [Fact]
    public void CancelProbe_WithoutAClaim_DoesNothing()
    {
        var entry = Blacklist();

        _analyzer.CancelProbe(Strategy, Op, TimeSpan.Zero);

        Assert.Equal(entry.AddedAt + Interval, _analyzer.GetNextProbeAt(Strategy, Op));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));
    }

    [Fact]
    public void RecordFailure_RateLimitedProbe_GivesTheProbeBackUntilRetryAfter_WithoutDoubling()
    {
        Blacklist();
        _time.Advance(Interval);
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));

        _analyzer.RecordFailure(new ServiceException("Too Many Requests", 429, TimeSpan.FromSeconds(3)), Op, strategy: Strategy);

        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(3), _analyzer.GetNextProbeAt(Strategy, Op));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
        FailProbe();
        Assert.Equal(_time.GetUtcNow() + (2 * Interval), _analyzer.GetNextProbeAt(Strategy, Op));
    }

    [Fact]
    public void TryBeginProbe_ClaimNeverReported_LapsesAfterOneInterval()
    {
        Blacklist();
        _time.Advance(Interval);
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
        Assert.Equal(_time.GetUtcNow() + Interval, _analyzer.GetNextProbeAt(Strategy, Op));

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
    }

    [Fact]
    public void Blacklist_AfterALiftedEntry_ProbesStartAgainFromTheFirstInterval()
    {
        Blacklist();
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(_analyzer.GetNextProbeAt(Strategy, Op)!.Value - _time.GetUtcNow());
            Assert.True(_analyzer.TryBeginProbe(Strategy, Op));
            FailProbe();
        }

        _analyzer.RecordSuccess(Op, Strategy);
        var entry = Blacklist();

        Assert.Equal(entry.AddedAt + Interval, _analyzer.GetNextProbeAt(Strategy, Op));
    }

    [Fact]
    public async Task Restart_LoadedAutomaticEntry_FirstProbeDueAtOnce()
    {
        // Nothing says how long no process ran: the outage may be over, and one call finds out.
        Blacklist();
        await _analyzer.FlushAsync();
        _time.Advance(TimeSpan.FromMinutes(3));

        await using var restarted = new FailureAnalyzer(_store, timeProvider: _time);
        await restarted.EnsureLoadedAsync();
        var loadedAt = _time.GetUtcNow();

        Assert.True(restarted.IsStrategyBlacklisted(Strategy, Op));
        Assert.Equal(loadedAt, restarted.GetNextProbeAt(Strategy, Op));
        Assert.True(restarted.TryBeginProbe(Strategy, Op));
        Assert.False(restarted.TryBeginProbe(Strategy, Op)); // one caller holds it
        restarted.RecordSuccess(Op, Strategy);
        await restarted.FlushAsync();
        Assert.Empty(await _store.GetBlacklistAsync(includeExpired: true));
    }

    [Fact]
    public async Task ClearAllAsync_ForgetsProbes()
    {
        Blacklist();
        _time.Advance(Interval);

        await _analyzer.ClearAllAsync();

        Assert.Null(_analyzer.GetNextProbeAt(Strategy, Op));
        Assert.False(_analyzer.TryBeginProbe(Strategy, Op));
    }
}
