using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Testing.Contracts;

/// <summary>The contract every <see cref="IFailureStore"/> keeps. Subclasses supply only the factory.</summary>
public abstract class FailureStoreContractTests : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));

    protected IFailureStore Store { get; private set; } = null!;

    /// <summary>Creates a fresh, empty store that reads the clock from <paramref name="time"/>.</summary>
    protected abstract IFailureStore CreateStore(TimeProvider time);

    public Task InitializeAsync()
    {
        Store = CreateStore(Time);
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    private Failure NewFailure(string operation = "api_call", string errorType = "TimeoutException", DateTimeOffset? at = null, string? strategy = null, IReadOnlyDictionary<string, string?>? context = null) => new()
    {
        Timestamp = at ?? Time.GetUtcNow(),
        Operation = operation,
        Strategy = strategy,
        ErrorType = errorType,
        ErrorMessage = "boom 42",
        Category = ErrorCategory.Timeout,
        StatusCode = 504,
        Context = context ?? new Dictionary<string, string?> { ["provider"] = "service_a" },
    };

    [Fact]
    public async Task SaveFailureAsync_NewFailure_ReturnsIncreasingIdsAndRoundTripsEveryField()
    {
        var first = await Store.SaveFailureAsync(NewFailure(strategy: "primary"));
        var second = await Store.SaveFailureAsync(NewFailure(operation: "other"));

        Assert.True(second > first);
        var read = Assert.Single(await Store.GetFailuresAsync(operation: "api_call"));
        Assert.Equal(first, read.Id);
        Assert.Equal(Time.GetUtcNow(), read.Timestamp);
        Assert.Equal("primary", read.Strategy);
        Assert.Equal("TimeoutException", read.ErrorType);
        Assert.Equal("boom 42", read.ErrorMessage);
        Assert.Equal(ErrorCategory.Timeout, read.Category);
        Assert.Equal(504, read.StatusCode);
        Assert.Equal("service_a", read.Context["provider"]);
    }

    [Fact]
    public async Task SaveFailureAsync_SeedShapedOverload_RedactsContext()
    {
        await Store.SaveFailureAsync(Time.GetUtcNow(), "HttpRequestException", "failed", "api_call", new Dictionary<string, object?> { ["api_key"] = "sk-123", ["endpoint"] = "/users" });

        var read = Assert.Single(await Store.GetFailuresAsync());
        Assert.Equal("[REDACTED]", read.Context["api_key"]); // the redaction marker (FailureAnalyzerConstants.RedactedValue is internal)
        Assert.Equal("/users", read.Context["endpoint"]);
    }

    [Fact]
    public async Task SaveFailuresAsync_Batch_StoresAll()
    {
        await Store.SaveFailuresAsync([.. Enumerable.Range(0, 250).Select(i => NewFailure(at: Time.GetUtcNow().AddSeconds(i)))]);

        Assert.Equal(250, (await Store.GetFailuresAsync(limit: 1000)).Count);
        Assert.Equal(250, (await Store.GetFailureAnalyticsAsync()).TotalFailures);
    }

    [Fact]
    public async Task GetFailuresAsync_Filters_ApplyEachAndNewestFirstWithLimit()
    {
        var t0 = Time.GetUtcNow();
        await Store.SaveFailureAsync(NewFailure("a", "X", t0));
        await Store.SaveFailureAsync(NewFailure("a", "Y", t0.AddMinutes(1)));
        await Store.SaveFailureAsync(NewFailure("b", "X", t0.AddMinutes(2)));
        await Store.SaveFailureAsync(NewFailure("a", "X", t0.AddMinutes(3)));

        Assert.Equal(3, (await Store.GetFailuresAsync(operation: "a")).Count);
        Assert.Equal(3, (await Store.GetFailuresAsync(errorType: "X")).Count);
        Assert.Equal(2, (await Store.GetFailuresAsync(operation: "a", errorType: "X")).Count);
        Assert.Equal(2, (await Store.GetFailuresAsync(since: t0.AddMinutes(2))).Count);
        var limited = await Store.GetFailuresAsync(limit: 2);
        Assert.Equal([t0.AddMinutes(3), t0.AddMinutes(2)], limited.Select(f => f.Timestamp));
        Assert.Empty(await Store.GetFailuresAsync(operation: "A"));
    }

    [Fact]
    public async Task GetFailuresAsync_ZeroLimit_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.GetFailuresAsync(limit: 0));

    [Fact]
    public async Task CleanupOldFailuresAsync_DeletesOnlyOlderThanDays_AndAnalyticsFollow()
    {
        var now = Time.GetUtcNow();
        await Store.SaveFailureAsync(NewFailure(at: now.AddDays(-31)));
        await Store.SaveFailureAsync(NewFailure(at: now.AddDays(-30).AddMinutes(1)));
        await Store.SaveFailureAsync(NewFailure(at: now));

        Assert.Equal(1, await Store.CleanupOldFailuresAsync(30));
        Assert.Equal(2, (await Store.GetFailuresAsync()).Count);
        Assert.Equal(2, (await Store.GetFailureAnalyticsAsync()).TotalFailures);
        Assert.Equal(0, await Store.CleanupOldFailuresAsync(30));
    }

    [Fact]
    public async Task CleanupOldFailuresAsync_NegativeDays_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.CleanupOldFailuresAsync(-1));

    [Theory]
    [InlineData(0)]
    [InlineData(FailureRetention.MaxDays + 1)]
    public async Task CleanupOldFailuresAsync_OutsideTheRetentionRule_ThrowsAndDeletesNothing(int days)
    {
        await Store.SaveFailureAsync(NewFailure(at: Time.GetUtcNow().AddDays(-2)));

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.CleanupOldFailuresAsync(days));

        Assert.Equal("days", ex.ParamName);
        Assert.Single(await Store.GetFailuresAsync());
    }

    [Fact]
    public async Task CleanupOldFailuresAsync_MinDays_KeepsTheLastDayOnly()
    {
        await Store.SaveFailureAsync(NewFailure(at: Time.GetUtcNow().AddHours(-2)));
        await Store.SaveFailureAsync(NewFailure(at: Time.GetUtcNow().AddDays(-2)));

        Assert.Equal(1, await Store.CleanupOldFailuresAsync(FailureRetention.MinDays));
        Assert.Single(await Store.GetFailuresAsync());
    }

    [Fact]
    public async Task Blacklist_AddCheckRemove_RoundTrips()
    {
        var now = Time.GetUtcNow();
        await Store.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "failing_provider", Operation = "api_call", Reason = "5 timeouts", FailureCount = 5, AddedAt = now, IsAutomatic = true, TimesBlacklisted = 2, ExpiresAt = now.AddHours(1) });

        Assert.True(await Store.IsBlacklistedAsync("failing_provider", "api_call"));
        Assert.False(await Store.IsBlacklistedAsync("failing_provider", "API_CALL"));
        Assert.False(await Store.IsBlacklistedAsync("Failing_Provider", "api_call"));
        var entry = Assert.Single(await Store.GetBlacklistAsync());
        Assert.Equal("5 timeouts", entry.Reason);
        Assert.Equal(5, entry.FailureCount);
        Assert.Equal(2, entry.TimesBlacklisted);
        Assert.True(entry.IsAutomatic);
        Assert.Equal(now.AddHours(1), entry.ExpiresAt);

        Assert.True(await Store.RemoveFromBlacklistAsync("failing_provider", "api_call"));
        Assert.False(await Store.RemoveFromBlacklistAsync("failing_provider", "api_call"));
        Assert.False(await Store.IsBlacklistedAsync("failing_provider", "api_call"));
    }

    [Fact]
    public async Task Blacklist_AfterExpiry_IsNotActiveButKeptWhenIncludingExpired()
    {
        var now = Time.GetUtcNow();
        await Store.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "o", Reason = "r", AddedAt = now, ExpiresAt = now.AddMinutes(5) });
        await Store.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "manual", Operation = "o", Reason = "r", AddedAt = now });

        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(await Store.IsBlacklistedAsync("s", "o"));
        Assert.True(await Store.IsBlacklistedAsync("manual", "o"));
        Assert.Equal(["manual"], (await Store.GetBlacklistAsync()).Select(e => e.StrategyName));
        Assert.Equal(2, (await Store.GetBlacklistAsync(includeExpired: true)).Count);
        Assert.Equal(1, (await Store.GetFailureAnalyticsAsync()).BlacklistedStrategies);
    }

    [Fact]
    public async Task Blacklist_AddTwice_Replaces()
    {
        var now = Time.GetUtcNow();
        await Store.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "o", Reason = "first", AddedAt = now });
        await Store.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "o", Reason = "second", AddedAt = now });

        Assert.Equal("second", Assert.Single(await Store.GetBlacklistAsync()).Reason);
    }

    [Fact]
    public async Task GetFailureAnalyticsAsync_CountsRanksAndFillsSevenDays()
    {
        var now = Time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            await Store.SaveFailureAsync(NewFailure("fetch", "TimeoutException", now));
        }

        for (var i = 0; i < 3; i++)
        {
            await Store.SaveFailureAsync(NewFailure("save", "HttpRequestException", now.AddDays(-2)));
        }

        await Store.SaveFailureAsync(NewFailure("save", "TimeoutException", now.AddDays(-10)));

        var a = await Store.GetFailureAnalyticsAsync();

        Assert.Equal(9, a.TotalFailures);
        Assert.Equal(new ErrorTypeCount("TimeoutException", 6), a.MostCommonErrors[0]);
        Assert.Equal(new ErrorTypeCount("HttpRequestException", 3), a.MostCommonErrors[1]);
        Assert.Equal(new OperationFailureCount("fetch", 5), a.ProblematicOperations[0]);
        Assert.Equal(new OperationFailureCount("save", 4), a.ProblematicOperations[1]);
        Assert.Equal(7, a.DailyTrends.Count);
        Assert.Equal(new DailyFailureCount(new DateOnly(2026, 1, 4), 0), a.DailyTrends[0]);
        Assert.Equal(new DailyFailureCount(new DateOnly(2026, 1, 8), 3), a.DailyTrends[4]);
        Assert.Equal(new DailyFailureCount(new DateOnly(2026, 1, 10), 5), a.DailyTrends[6]);
    }

    [Fact]
    public async Task GetFailureAnalyticsAsync_Empty_ReturnsZerosAndSevenEmptyDays()
    {
        var a = await Store.GetFailureAnalyticsAsync();

        Assert.Equal(0, a.TotalFailures);
        Assert.Empty(a.MostCommonErrors);
        Assert.All(a.DailyTrends, d => Assert.Equal(0, d.Count));
        Assert.Equal(7, a.DailyTrends.Count);
    }

    [Fact]
    public async Task ClearAllAsync_RemovesFailuresBlacklistAndStatistics()
    {
        await Store.SaveFailureAsync(NewFailure());
        await Store.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "o", Reason = "r", AddedAt = Time.GetUtcNow() });
        if (Store is IStrategyStatisticsStore stats)
        {
            await stats.MergeStrategyStatisticsAsync([new StrategyStatistics { StrategyName = "s", Operation = "o", Successes = 1 }]);
        }

        await Store.ClearAllAsync();

        Assert.Empty(await Store.GetFailuresAsync());
        Assert.Empty(await Store.GetBlacklistAsync(includeExpired: true));
        Assert.Equal(0, (await Store.GetFailureAnalyticsAsync()).TotalFailures);
        if (Store is IStrategyStatisticsStore s2)
        {
            Assert.Empty(await s2.GetStrategyStatisticsAsync());
        }
    }

    [Fact]
    public async Task MergeStrategyStatisticsAsync_AddsCountsWeightsMeansAndKeepsLatestTimes()
    {
        var stats = Assert.IsAssignableFrom<IStrategyStatisticsStore>(Store);
        var t0 = Time.GetUtcNow();
        await stats.MergeStrategyStatisticsAsync([new StrategyStatistics { StrategyName = "s", Operation = "o", Successes = 2, Failures = 1, LatencySamples = 2, MeanLatency = TimeSpan.FromMilliseconds(100), LastSuccessAt = t0, LastFailureAt = t0.AddMinutes(1) }]);
        await stats.MergeStrategyStatisticsAsync([new StrategyStatistics { StrategyName = "s", Operation = "o", Successes = 1, Failures = 3, LatencySamples = 1, MeanLatency = TimeSpan.FromMilliseconds(400), LastSuccessAt = t0.AddMinutes(2) }]);

        var s = Assert.Single(await stats.GetStrategyStatisticsAsync());
        Assert.Equal(3, s.Successes);
        Assert.Equal(4, s.Failures);
        Assert.Equal(3, s.LatencySamples);
        Assert.Equal(TimeSpan.FromMilliseconds(200), s.MeanLatency);
        Assert.Equal(t0.AddMinutes(2), s.LastSuccessAt);
        Assert.Equal(t0.AddMinutes(1), s.LastFailureAt);
    }
}
