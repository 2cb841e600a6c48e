using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

public sealed class FailureAnalyzerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private FailureAnalyzer _analyzer = null!;

    public Task InitializeAsync()
    {
        _analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), timeProvider: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _analyzer.DisposeAsync();

    private void FailStrategy(int times, string strategy = "provider_x", string operation = "fetch_data", int secondsApart = 60)
    {
        for (var i = 0; i < times; i++)
        {
            _analyzer.RecordFailure(new TimeoutException("timed out"), operation, strategy: strategy);
            _time.Advance(TimeSpan.FromSeconds(secondsApart));
        }
    }

    // ---------------------------------------------------------------- construction and options

    [Fact]
    public async Task Constructor_Defaults_MatchConstants()
    {
        await using var analyzer = new FailureAnalyzer();

        var o = analyzer.Options;
        Assert.Equal(3, o.PatternThreshold);
        Assert.Equal(TimeSpan.FromMinutes(10), o.PatternWindow);
        Assert.Equal(TimeSpan.FromSeconds(60), o.CascadeWindow);
        Assert.Equal(5, o.BlacklistThreshold);
        Assert.Equal(TimeSpan.FromMinutes(10), o.BlacklistWindow);
        Assert.Equal(TimeSpan.FromHours(1), o.BlacklistDuration);
        Assert.Equal(TimeSpan.FromDays(30), o.Retention);
        Assert.Equal(TimeSpan.FromSeconds(5), o.BlacklistProbeInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), o.StatisticsHalfLife);
        Assert.Equal(3, o.StatisticsHalfLifeAttempts);
        Assert.IsType<InMemoryFailureStore>(analyzer.Store);
        Assert.True(analyzer.PersistenceHealthy);
    }

    public static TheoryData<string, Action<FailureAnalyzerOptions>> InvalidOptions => new()
    {
        { "PatternThreshold", o => o.PatternThreshold = 0 },
        { "PatternThreshold", o => o.PatternThreshold = 1001 },
        { "PatternWindow", o => o.PatternWindow = TimeSpan.Zero },
        { "CascadeWindow", o => o.CascadeWindow = TimeSpan.FromMinutes(11) },
        { "CascadeWindow", o => o.CascadeWindow = TimeSpan.Zero },
        { "IntermittentMinFlips", o => o.IntermittentMinFlips = 0 },
        { "IntermittentMaxFailureRate", o => o.IntermittentMaxFailureRate = 1.5 },
        { "IntermittentMinFailureRate", o => o.IntermittentMinFailureRate = 0.9 },
        { "IntermittentMinFailureRate", o => o.IntermittentMinFailureRate = -0.1 },
        { "PermanentSpan", o => o.PermanentSpan = TimeSpan.Zero },
        { "UnstableServiceMinErrorTypes", o => o.UnstableServiceMinErrorTypes = 1 },
        { "BlacklistThreshold", o => o.BlacklistThreshold = 0 },
        { "BlacklistWindow", o => o.BlacklistWindow = TimeSpan.Zero },
        { "BlacklistDuration", o => o.BlacklistDuration = TimeSpan.FromDays(2) },
        { "MaxBlacklistDuration", o => o.MaxBlacklistDuration = TimeSpan.FromDays(400) },
        { "Retention", o => o.Retention = TimeSpan.FromHours(23) },
        { "CleanupInterval", o => o.CleanupInterval = TimeSpan.Zero },
        { "WriteBufferCapacity", o => o.WriteBufferCapacity = 0 },
        { "WriteBatchSize", o => o.WriteBatchSize = 0 },
        { "PersistenceRetryInterval", o => o.PersistenceRetryInterval = TimeSpan.Zero },
        { "MaxRecentFailuresPerOperation", o => o.MaxRecentFailuresPerOperation = 1 },
        { "OutcomeHistorySize", o => o.OutcomeHistorySize = 1 },
        { "StatisticsFlushInterval", o => o.StatisticsFlushInterval = TimeSpan.FromMilliseconds(9) },
        { "StatisticsFlushThreshold", o => o.StatisticsFlushThreshold = 0 },
        { "BlacklistProbeInterval", o => o.BlacklistProbeInterval = TimeSpan.FromMilliseconds(99) },
        { "BlacklistProbeInterval", o => o.BlacklistProbeInterval = TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(1) },
        { "StatisticsHalfLife", o => o.StatisticsHalfLife = TimeSpan.FromMilliseconds(99) },
        { "StatisticsHalfLife", o => o.StatisticsHalfLife = TimeSpan.FromDays(366) },
        { "StatisticsHalfLifeAttempts", o => o.StatisticsHalfLifeAttempts = 0 },
        { "StatisticsHalfLifeAttempts", o => o.StatisticsHalfLifeAttempts = 1_000_001 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingPropertyValueAndRange(string property, Action<FailureAnalyzerOptions> spoil)
    {
        var options = new FailureAnalyzerOptions();
        spoil(options);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FailureAnalyzer(new InMemoryFailureStore(), options));

        Assert.Contains($"FailureAnalyzerOptions.{property} must be between", ex.Message, StringComparison.Ordinal);
        Assert.Contains("; was ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ValidBoundaryOptions_Accepted()
    {
        var options = new FailureAnalyzerOptions { PatternThreshold = 1, CascadeWindow = TimeSpan.FromMinutes(10), IntermittentMinFailureRate = 0.8, BlacklistDuration = TimeSpan.FromHours(24) };

        options.Validate();
    }

    [Fact]
    public void Validate_ProbeAndDecayBoundaries_Accepted()
    {
        new FailureAnalyzerOptions { BlacklistProbeInterval = TimeSpan.FromMilliseconds(100), StatisticsHalfLife = TimeSpan.FromMilliseconds(100), StatisticsHalfLifeAttempts = 1 }.Validate();
        new FailureAnalyzerOptions { BlacklistProbeInterval = TimeSpan.FromHours(1), StatisticsHalfLife = TimeSpan.FromDays(365), StatisticsHalfLifeAttempts = 1_000_000 }.Validate();
    }

    [Fact]
    public void Clone_CopiesProbeAndDecayOptions_IndependentOfTheOriginal()
    {
        var options = new FailureAnalyzerOptions { BlacklistProbeInterval = TimeSpan.FromSeconds(7), StatisticsHalfLife = TimeSpan.FromMinutes(2), StatisticsHalfLifeAttempts = 5 };

        var copy = options.Clone();
        options.BlacklistProbeInterval = TimeSpan.FromSeconds(1);

        Assert.Equal(TimeSpan.FromSeconds(7), copy.BlacklistProbeInterval);
        Assert.Equal(TimeSpan.FromMinutes(2), copy.StatisticsHalfLife);
        Assert.Equal(5, copy.StatisticsHalfLifeAttempts);
    }

    [Fact]
    public void Constructor_PatternThresholdOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FailureAnalyzer(patternThreshold: 0));

    [Fact]
    public void RecordFailure_NullOrEmptyArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => _analyzer.RecordFailure(null!, "op"));
        Assert.Throws<ArgumentException>(() => _analyzer.RecordFailure(new TimeoutException(), ""));
        Assert.Throws<ArgumentException>(() => _analyzer.RecordSuccess(""));
    }

    // ---------------------------------------------------------------- recording

    [Fact]
    public void RecordFailure_ClassifiesAndReadsStatusCode()
    {
        var f = _analyzer.RecordFailure(new ServiceException("Too Many Requests", 429), "api_call", new Dictionary<string, object?> { ["provider"] = "service_a", ["attempt"] = 3 }, "primary");

        Assert.Equal("ServiceException", f.ErrorType);
        Assert.Equal(ErrorCategory.RateLimited, f.Category);
        Assert.Equal(429, f.StatusCode);
        Assert.Equal("service_a", f.Service);
        Assert.Equal("3", f.Context["attempt"]);
        Assert.Equal(_time.GetUtcNow(), f.Timestamp);
    }

    [Fact]
    public void RecordFailure_SecretsInContextAndMessage_AreRedacted()
    {
        var f = _analyzer.RecordFailure(
            new HttpRequestException("401 calling https://api/x with Authorization: Bearer abc.def.ghi and api_key=sk-live-123"),
            "api_call",
            new Dictionary<string, object?>
            {
                ["password"] = "hunter2",
                ["X-Api-Key"] = "sk-1",
                ["Authorization"] = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
                ["session_token"] = "t",
                ["Cookie"] = "a=b",
                ["client_secret"] = "s",
                ["header"] = "Bearer abcdef123456",
                ["author"] = "alice",
                ["endpoint"] = "/users/123",
            });

        Assert.Equal(SecretRedactor.RedactedValue, f.Context["password"]);
        Assert.Equal(SecretRedactor.RedactedValue, f.Context["X-Api-Key"]);
        Assert.Equal(SecretRedactor.RedactedValue, f.Context["Authorization"]);
        Assert.Equal(SecretRedactor.RedactedValue, f.Context["session_token"]);
        Assert.Equal(SecretRedactor.RedactedValue, f.Context["Cookie"]);
        Assert.Equal(SecretRedactor.RedactedValue, f.Context["client_secret"]);
        Assert.Equal("Bearer [REDACTED]", f.Context["header"]);
        Assert.Equal("alice", f.Context["author"]);
        Assert.Equal("/users/123", f.Context["endpoint"]);
        Assert.DoesNotContain("abc.def.ghi", f.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-123", f.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("calling https://api/x", f.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretRedactor_OrdinaryText_Unchanged()
    {
        Assert.Equal("Connection refused (localhost:5432)", SecretRedactor.RedactText("Connection refused (localhost:5432)"));
        Assert.Equal("x", SecretRedactor.RedactValue("endpoint", "x"));
        Assert.Null(SecretRedactor.RedactValue("password", null));
        Assert.Equal(SecretRedactor.MaxValueLength, SecretRedactor.RedactText(new string('a', 10_000)).Length);
        Assert.Equal("token=[REDACTED]; user=bob", SecretRedactor.RedactText("token=abc123; user=bob"));
        Assert.Equal("[REDACTED]", SecretRedactor.RedactText("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"));
    }

    [Fact]
    public void Statistics_CountSuccessesFailuresAndMeanLatency()
    {
        _analyzer.RecordSuccess("op", "s", TimeSpan.FromMilliseconds(100));
        _analyzer.RecordSuccess("op", "s", TimeSpan.FromMilliseconds(300));
        _analyzer.RecordSuccess("op", "s");
        _analyzer.RecordFailure(new TimeoutException(), "op", strategy: "s");

        var s = _analyzer.GetStrategyStatistics("s", "op");

        Assert.Equal(3, s.Successes);
        Assert.Equal(1, s.Failures);
        Assert.Equal(TimeSpan.FromMilliseconds(200), s.MeanLatency);
        Assert.Equal(0.75, s.SuccessRate);
        Assert.Equal(0, _analyzer.GetStrategyStatistics("s", "OP").Attempts);
        Assert.Single(_analyzer.GetAllStrategyStatistics("op"));
        Assert.Empty(_analyzer.GetAllStrategyStatistics("other"));
    }

    // ---------------------------------------------------------------- automatic blacklist

    [Fact]
    public void AutoBlacklist_FiveFailuresWithinWindow_BlacklistsForOneHourWithEvidence()
    {
        FailStrategy(4);
        Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "fetch_data"));

        FailStrategy(1);

        var e = _analyzer.GetBlacklistEntry("provider_x", "fetch_data");
        Assert.NotNull(e);
        Assert.True(e.IsAutomatic);
        Assert.Equal(5, e.FailureCount);
        Assert.Equal(e.AddedAt + TimeSpan.FromHours(1), e.ExpiresAt);
        Assert.Contains("5 failures in 4 min without a success", e.Reason, StringComparison.Ordinal);
        Assert.Contains("TimeoutException", e.Reason, StringComparison.Ordinal);
        Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "FETCH_DATA"));
        Assert.False(_analyzer.IsStrategyBlacklisted("Provider_X", "fetch_data"));
        Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "other_op"));
    }

    [Fact]
    public void AutoBlacklist_FiveFailuresSpreadBeyondWindow_NotBlacklisted()
    {
        FailStrategy(5, secondsApart: 151); // 4 gaps of 151 s = 604 s > 600 s

        Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "fetch_data"));
    }

    [Fact]
    public void AutoBlacklist_SuccessInBetween_ResetsCount()
    {
        FailStrategy(4);
        _analyzer.RecordSuccess("fetch_data", "provider_x");
        FailStrategy(4);

        Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "fetch_data"));
    }

    [Fact]
    public void AutoBlacklist_FailuresWithoutStrategy_NeverBlacklist()
    {
        for (var i = 0; i < 10; i++)
        {
            _analyzer.RecordFailure(new TimeoutException(), "fetch_data");
        }

        Assert.Empty(_analyzer.GetAllStrategyStatistics());
    }

    [Fact]
    public async Task AutoBlacklist_Disabled_NeverBlacklists()
    {
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(), new FailureAnalyzerOptions { EnableAutomaticBlacklist = false }, _time);
        for (var i = 0; i < 10; i++)
        {
            analyzer.RecordFailure(new TimeoutException(), "op", strategy: "s");
        }

        Assert.False(analyzer.IsStrategyBlacklisted("s", "op"));
    }

    [Fact]
    public void AutoBlacklist_Expires_ThenGrowsWhenBlacklistedAgain_CappedAtMax()
    {
        var expected = new[] { 1, 2, 4, 8, 16, 24, 24 };
        foreach (var hours in expected)
        {
            FailStrategy(5);
            var e = _analyzer.GetBlacklistEntry("provider_x", "fetch_data")!;
            Assert.Equal(TimeSpan.FromHours(hours), e.ExpiresAt - e.AddedAt);
            _time.Advance(TimeSpan.FromHours(hours));
            Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "fetch_data"));
        }
    }

    [Fact]
    public void AutoBlacklist_SuccessAfterExpiry_ResetsGrowth()
    {
        FailStrategy(5);
        _time.Advance(TimeSpan.FromHours(1));
        _analyzer.RecordSuccess("fetch_data", "provider_x");
        FailStrategy(5);

        var e = _analyzer.GetBlacklistEntry("provider_x", "fetch_data")!;
        Assert.Equal(1, e.TimesBlacklisted);
        Assert.Equal(TimeSpan.FromHours(1), e.ExpiresAt - e.AddedAt);
    }

    [Fact]
    public void AutoBlacklist_SuccessWhileBlacklisted_LiftsAutomaticEntry()
    {
        FailStrategy(5);

        _analyzer.RecordSuccess("fetch_data", "provider_x");

        Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "fetch_data"));
    }

    // ---------------------------------------------------------------- manual blacklist

    [Fact]
    public async Task MayHaveBlacklistEntries_EmptyThenEntryThenRemoved_FollowsTheBlacklist()
    {
        Assert.False(_analyzer.MayHaveBlacklistEntries);

        await _analyzer.AddToBlacklistAsync("failing_provider", "api_call", "by hand");
        Assert.True(_analyzer.MayHaveBlacklistEntries);

        await _analyzer.RemoveFromBlacklistAsync("failing_provider", "api_call");
        Assert.False(_analyzer.MayHaveBlacklistEntries);
    }

    [Fact]
    public async Task ManualBlacklist_WithoutExpiry_LastsUntilRemoved_AndSuccessDoesNotLiftIt()
    {
        await _analyzer.AddToBlacklistAsync("failing_provider", "api_call", "Repeated timeout errors (5 failures in 10 minutes)");
        _time.Advance(TimeSpan.FromDays(1000));
        _analyzer.RecordSuccess("api_call", "failing_provider");

        var e = _analyzer.GetBlacklistEntry("failing_provider", "api_call");
        Assert.NotNull(e);
        Assert.False(e.IsAutomatic);
        Assert.Null(e.ExpiresAt);
        Assert.Equal("Repeated timeout errors (5 failures in 10 minutes)", Assert.Single(await _analyzer.GetBlacklistAsync()).Reason);

        Assert.True(await _analyzer.RemoveFromBlacklistAsync("failing_provider", "api_call"));
        Assert.False(await _analyzer.RemoveFromBlacklistAsync("failing_provider", "api_call"));
        Assert.False(_analyzer.IsStrategyBlacklisted("failing_provider", "api_call"));
        Assert.Empty(await _analyzer.GetBlacklistAsync());
    }

    [Fact]
    public async Task ManualBlacklist_WithExpiry_Lapses()
    {
        await _analyzer.AddToBlacklistAsync("p", "op", "maintenance", TimeSpan.FromMinutes(30));

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.True(_analyzer.IsStrategyBlacklisted("p", "op"));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(_analyzer.IsStrategyBlacklisted("p", "op"));
    }

    [Fact]
    public async Task ManualBlacklist_NonPositiveExpiry_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _analyzer.AddToBlacklistAsync("p", "op", "r", TimeSpan.Zero));

    [Fact]
    public async Task ManualBlacklist_NotReplacedByAutomatic()
    {
        await _analyzer.AddToBlacklistAsync("provider_x", "fetch_data", "operator says no");

        FailStrategy(10);

        Assert.Equal("operator says no", _analyzer.GetBlacklistEntry("provider_x", "fetch_data")!.Reason);
    }

    // ---------------------------------------------------------------- analytics, cleanup, clear

    [Fact]
    public async Task GetAnalyticsAsync_CountsWhatWasRecorded()
    {
        FailStrategy(5, "a", "fetch");
        _analyzer.RecordFailure(new HttpRequestException("x"), "save");

        var s = await _analyzer.GetAnalyticsAsync();

        Assert.Equal(6, s.TotalFailures);
        Assert.Equal(1, s.BlacklistedStrategies);
        Assert.Equal(new ErrorTypeCount("TimeoutException", 5), s.MostCommonErrors[0]);
        Assert.Equal(new OperationFailureCount("fetch", 5), s.ProblematicOperations[0]);
        Assert.Equal(6, s.DailyTrends[^1].Count);
    }

    [Fact]
    public async Task CleanupOldFailuresAsync_DeletesOldOnly()
    {
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), new FailureAnalyzerOptions { Retention = TimeSpan.FromDays(3650) }, _time);
        analyzer.RecordFailure(new TimeoutException(), "op");
        _time.Advance(TimeSpan.FromDays(31));
        analyzer.RecordFailure(new TimeoutException(), "op");

        Assert.Equal(1, await analyzer.CleanupOldFailuresAsync(30));
        Assert.Single(analyzer.GetRecentFailures("op"));
        Assert.Equal(1, (await analyzer.GetAnalyticsAsync()).TotalFailures);
    }

    [Fact]
    public async Task Retention_PeriodicCleanup_DeletesFailuresOlderThanRetention()
    {
        _analyzer.RecordFailure(new TimeoutException(), "op");
        _time.Advance(TimeSpan.FromDays(29));
        _analyzer.RecordFailure(new TimeoutException(), "op");
        await _analyzer.FlushAsync();
        Assert.Equal(2, (await _analyzer.Store.GetFailuresAsync()).Count);

        _time.Advance(TimeSpan.FromDays(2)); // the cleanup timer (every 6 h) fires on the way
        await _analyzer.FlushAsync();

        Assert.Single(await _analyzer.Store.GetFailuresAsync());
    }

    [Fact]
    public async Task ClearAllAsync_ForgetsEverything()
    {
        FailStrategy(5);
        await _analyzer.AddToBlacklistAsync("m", "op", "r");

        await _analyzer.ClearAllAsync();

        Assert.False(_analyzer.IsStrategyBlacklisted("provider_x", "fetch_data"));
        Assert.Empty(await _analyzer.GetBlacklistAsync());
        Assert.Equal(0, (await _analyzer.GetAnalyticsAsync()).TotalFailures);
        Assert.Equal(0, _analyzer.GetStrategyStatistics("provider_x", "fetch_data").Attempts);
        Assert.Equal(FailurePattern.None, _analyzer.AnalyzePattern("fetch_data").Pattern);
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsHarmless_AndRecordingAfterwardStillWorksInMemory()
    {
        await _analyzer.DisposeAsync();
        await _analyzer.DisposeAsync();

        _analyzer.RecordFailure(new TimeoutException(), "op");
        await _analyzer.FlushAsync();

        Assert.Single(_analyzer.GetRecentFailures("op"));
    }
}
