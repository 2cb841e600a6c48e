using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

/// <summary>A rate limit is kept and analysed like any failure, but it is not a failure of the strategy.</summary>
public sealed class FailureAnalyzerRateLimitTests : IAsyncLifetime
{
    private const string Op = "fetch_data";
    private const string Strategy = "provider_x";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private InMemoryFailureStore _store = null!;
    private FailureAnalyzer _analyzer = null!;

    public static TheoryData<string> RateLimits => ["ServiceException 429 + Retry-After", "HttpRequestException 429", "RateLimitRejectedException", "Polly RateLimiterRejectedException"];

    public Task InitializeAsync()
    {
        _store = new InMemoryFailureStore(timeProvider: _time);
        _analyzer = new FailureAnalyzer(_store, timeProvider: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _analyzer.DisposeAsync();

    private static Exception RateLimit(string kind) => kind switch
    {
        "ServiceException 429 + Retry-After" => new ServiceException("Too Many Requests", 429, TimeSpan.FromSeconds(2)),
        "HttpRequestException 429" => new HttpRequestException("Too Many Requests", null, HttpStatusCode.TooManyRequests),
        "RateLimitRejectedException" => new RateLimitRejectedException("limiter", TimeSpan.FromSeconds(1)),
        "Polly RateLimiterRejectedException" => new Polly.RateLimiting.RateLimiterRejectedException(TimeSpan.FromSeconds(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private void Fail(Exception error, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _analyzer.RecordFailure(error, Op, strategy: Strategy);
            _time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    [Theory]
    [MemberData(nameof(RateLimits))]
    public async Task RecordFailure_RateLimited_NeverCountsForTheStrategyNorBlacklistsIt(string kind)
    {
        Fail(RateLimit(kind), 10);

        var stats = _analyzer.GetStrategyStatistics(Strategy, Op);
        Assert.Equal(0, stats.Failures);
        Assert.Equal(0.5, stats.RecentSuccessRate);
        Assert.False(_analyzer.IsStrategyBlacklisted(Strategy, Op));
        await _analyzer.FlushAsync();
        Assert.DoesNotContain(await _store.GetStrategyStatisticsAsync(), s => s.StrategyName == Strategy && s.Failures > 0);
    }

    [Theory]
    [MemberData(nameof(RateLimits))]
    public async Task RecordFailure_RateLimited_StaysInHistoryStoreAnalyticsAndRootCause(string kind)
    {
        Fail(RateLimit(kind), 5);

        Assert.Equal(5, _analyzer.GetRecentFailures(Op).Count);
        Assert.All(_analyzer.GetRecentFailures(Op), f => Assert.Equal(ErrorCategory.RateLimited, f.Category));
        Assert.Contains("rate limiting", _analyzer.AnalyzePattern(Op).RootCause.Description, StringComparison.Ordinal);
        Assert.Equal(5, (await _analyzer.GetAnalyticsAsync()).TotalFailures);
        Assert.Equal(5, (await _store.GetFailuresAsync(Op, null, null, 100)).Count);
    }

    [Fact]
    public void RecordFailure_RateLimitedBetweenFailures_NeitherBreaksNorExtendsTheStreak()
    {
        Fail(new TimeoutException("timed out"), 4);
        Fail(RateLimit("ServiceException 429 + Retry-After"), 10);
        Assert.False(_analyzer.IsStrategyBlacklisted(Strategy, Op));

        Fail(new TimeoutException("timed out"), 1);

        var entry = _analyzer.GetBlacklistEntry(Strategy, Op);
        Assert.NotNull(entry);
        Assert.Equal(5, entry.FailureCount);
        Assert.Equal(5, _analyzer.GetStrategyStatistics(Strategy, Op).Failures);
    }

    [Fact]
    public void RecordFailure_RateLimitedAfterSuccesses_LeavesTheRecentSuccessRateAlone()
    {
        for (var i = 0; i < 3; i++)
        {
            _analyzer.RecordSuccess(Op, Strategy, TimeSpan.FromMilliseconds(20));
        }

        var before = _analyzer.GetStrategyStatistics(Strategy, Op);
        _analyzer.RecordFailure(RateLimit("HttpRequestException 429"), Op, strategy: Strategy);

        var after = _analyzer.GetStrategyStatistics(Strategy, Op);
        Assert.Equal(before.RecentSuccessRate, after.RecentSuccessRate);
        Assert.Equal(1.0, after.SuccessRate);
    }

    [Fact]
    public void RecordFailure_ServerErrorWithRetryAfter_IsAnOutageSignal_CountsAndBlacklists()
    {
        Fail(new ServiceException("Service Unavailable", 503, TimeSpan.FromSeconds(30)), 5);

        Assert.Equal(5, _analyzer.GetStrategyStatistics(Strategy, Op).Failures);
        Assert.True(_analyzer.IsStrategyBlacklisted(Strategy, Op));
    }

    [Fact]
    public void RecordFailure_RateLimitedWithoutStrategy_KeptInHistory()
    {
        _analyzer.RecordFailure(RateLimit("RateLimitRejectedException"), Op);

        Assert.Single(_analyzer.GetRecentFailures(Op));
        Assert.Empty(_analyzer.GetAllStrategyStatistics());
    }
}
