using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

/// <summary>The analyzer over real SQLite files: restart, sharing, and a store that is broken, then mended.</summary>
public sealed class FailureAnalyzerPersistenceTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly ListLoggerFactory _logs = new();

    public void Dispose() => _db.Dispose();

    private FailureAnalyzer Create(FailureAnalyzerOptions? options = null) =>
        new(options ?? new FailureAnalyzerOptions(), enablePersistence: true, dbPath: _db.File(), timeProvider: _time, loggerFactory: _logs);

    [Fact]
    public async Task EnablePersistence_WithoutPath_UsesDataFailuresDb()
    {
        var expected = Path.GetFullPath(FailureAnalyzerConstants.DefaultDatabasePath);
        try
        {
            await using (var analyzer = new FailureAnalyzer(enablePersistence: true))
            {
                Assert.Equal(expected, Assert.IsType<SqliteFailureStore>(analyzer.Store).DatabasePath);
                analyzer.RecordFailure(new TimeoutException(), "op");
            }

            Assert.True(File.Exists(expected));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(expected)!, recursive: true);
        }
    }

    [Fact]
    public async Task Restart_SecondAnalyzerOnSameFile_SeesFailuresBlacklistStatisticsAndPatterns()
    {
        await using (var first = Create())
        {
            for (var i = 0; i < 5; i++)
            {
                first.RecordFailure(new ServiceException("Unauthorized", 401), "api_call", new Dictionary<string, object?> { ["token"] = "secret-value" }, "primary");
                _time.Advance(TimeSpan.FromSeconds(30));
            }

            first.RecordSuccess("api_call", "backup", TimeSpan.FromMilliseconds(120));
            await first.AddToBlacklistAsync("legacy", "api_call", "decommissioned");
            Assert.True(first.IsStrategyBlacklisted("primary", "api_call"));
        }

        SqliteConnection.ClearAllPools();
        await using var second = Create();
        await second.EnsureLoadedAsync();

        Assert.True(second.IsStrategyBlacklisted("primary", "api_call"));
        Assert.True(second.IsStrategyBlacklisted("legacy", "api_call"));
        Assert.Equal(5, second.GetStrategyStatistics("primary", "api_call").Failures);
        var backup = second.GetStrategyStatistics("backup", "api_call");
        Assert.Equal(1, backup.Successes);
        Assert.Equal(TimeSpan.FromMilliseconds(120), backup.MeanLatency);
        Assert.Equal(5, second.GetRecentFailures("api_call").Count);
        Assert.Equal(FailurePattern.Permanent, second.AnalyzePattern("api_call").Pattern);
        var analytics = await second.GetAnalyticsAsync();
        Assert.Equal(5, analytics.TotalFailures);
        Assert.Equal(2, analytics.BlacklistedStrategies);
        Assert.DoesNotContain("secret-value", await File.ReadAllTextAsync(_db.File()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_BlacklistGrowthSurvives()
    {
        await using (var first = Create())
        {
            for (var i = 0; i < 5; i++)
            {
                first.RecordFailure(new TimeoutException(), "op", strategy: "s");
            }
        }

        _time.Advance(TimeSpan.FromHours(1));
        SqliteConnection.ClearAllPools();
        await using var second = Create();
        await second.EnsureLoadedAsync();
        Assert.False(second.IsStrategyBlacklisted("s", "op"));
        for (var i = 0; i < 5; i++)
        {
            second.RecordFailure(new TimeoutException(), "op", strategy: "s");
        }

        var e = second.GetBlacklistEntry("s", "op")!;
        Assert.Equal(2, e.TimesBlacklisted);
        Assert.Equal(TimeSpan.FromHours(2), e.ExpiresAt - e.AddedAt);
    }

    [Fact]
    public async Task TwoAnalyzersOnOneFile_StatisticsAddUp()
    {
        await using (var a = Create())
        await using (var b = Create())
        {
            for (var i = 0; i < 10; i++)
            {
                a.RecordSuccess("op", "s");
                b.RecordSuccess("op", "s");
                b.RecordFailure(new TimeoutException(), "op", strategy: "t");
            }
        }

        await using var c = Create();
        await c.EnsureLoadedAsync();
        Assert.Equal(20, c.GetStrategyStatistics("s", "op").Successes);
        Assert.Equal(10, (await c.GetAnalyticsAsync()).TotalFailures);
    }

    [Fact]
    public async Task TwoProcessesOnOneFile_ChildAndParentRecordAtOnce_NothingLostStatisticsAddUp()
    {
        const int Count = 400;
        await using (var parent = new FailureAnalyzer(new FailureAnalyzerOptions { EnableAutomaticBlacklist = false }, enablePersistence: true, dbPath: _db.File()))
        {
            using var child = Steadfast.Tests.Durable.CrashTests.Start("failures", _db.File(), "shared_op", Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (var i = 0; i < Count; i++)
            {
                parent.RecordFailure(new TimeoutException($"parent failure {i}"), "shared_op", strategy: "parent");
                parent.RecordSuccess("shared_op", "shared");
                if (i % 50 == 49)
                {
                    await parent.FlushAsync();
                }
            }

            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await child.WaitForExitAsync(guard.Token);
            Assert.True(child.ExitCode == 0, await child.StandardError.ReadToEndAsync());
            Assert.Equal("finished", (await child.StandardOutput.ReadToEndAsync()).Trim());
            await parent.FlushAsync();
            Assert.True(parent.PersistenceHealthy);
        }

        SqliteConnection.ClearAllPools();
        var store = new SqliteFailureStore(_db.File());
        Assert.Equal(2 * Count, (await store.GetFailureAnalyticsAsync()).TotalFailures);
        Assert.Equal(Count, (await store.GetFailuresAsync(operation: "shared_op", limit: 10_000)).Count(f => f.Strategy == "child"));
        var shared = (await store.GetStrategyStatisticsAsync()).Single(s => s.StrategyName == "shared");
        Assert.Equal(2 * Count, shared.Successes);
    }

    [Fact]
    public async Task DisposeAsync_FlushesEveryPendingFailure()
    {
        await using (var a = Create(new FailureAnalyzerOptions { WriteBatchSize = 100 }))
        {
            for (var i = 0; i < 2500; i++)
            {
                a.RecordFailure(new TimeoutException(), "op" + (i % 7));
            }
        }

        Assert.Equal(2500, (await new SqliteFailureStore(_db.File(), _time).GetFailureAnalyticsAsync()).TotalFailures);
    }

    [Fact]
    public async Task CorruptFile_AnalyzerWorksInMemory_LogsOneErrorNamingFile_RecoversLater()
    {
        await File.WriteAllTextAsync(_db.File(), new string('x', 8192));
        await using var analyzer = Create();
        await analyzer.EnsureLoadedAsync();

        Assert.False(analyzer.PersistenceHealthy);
        for (var i = 0; i < 5; i++)
        {
            analyzer.RecordFailure(new ServiceException("Unauthorized", 401), "op", strategy: "s");
        }

        await analyzer.AddToBlacklistAsync("m", "op", "manual");
        Assert.True(analyzer.IsStrategyBlacklisted("s", "op"));
        Assert.Equal(FailurePattern.Permanent, analyzer.AnalyzePattern("op").Pattern);
        Assert.Equal(5, (await analyzer.GetAnalyticsAsync()).TotalFailures);
        Assert.Equal(2, (await analyzer.GetBlacklistAsync()).Count);
        var error = Assert.Single(_logs.Named("PersistenceUnavailable"));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(_db.File(), error.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);

        // The operator moves the bad file aside; the next retry finds a fresh database and writes what waited.
        SqliteConnection.ClearAllPools();
        File.Delete(_db.File());
        _time.Advance(FailureAnalyzerConstants.DefaultPersistenceRetryInterval);
        await analyzer.FlushAsync();

        Assert.True(analyzer.PersistenceHealthy);
        Assert.Single(_logs.Named("PersistenceRestored"));
        var store = new SqliteFailureStore(_db.File(), _time);
        Assert.Equal(5, (await store.GetFailuresAsync()).Count);
        Assert.True(await store.IsBlacklistedAsync("m", "op"));
        Assert.True(await store.IsBlacklistedAsync("s", "op"));
        Assert.Equal(5, Assert.Single(await store.GetStrategyStatisticsAsync()).Failures);
    }

    [Fact]
    public async Task UnreachablePath_ConstructorDoesNotThrow_EverythingWorksInMemory()
    {
        var blocker = _db.File("not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where a directory should be");
        var path = Path.Combine(blocker, "failures.db");

        await using var analyzer = new FailureAnalyzer(patternThreshold: 3, enablePersistence: true, dbPath: path, timeProvider: _time, loggerFactory: _logs);
        for (var i = 0; i < 5; i++)
        {
            analyzer.RecordFailure(new TimeoutException(), "op", strategy: "s");
        }

        await analyzer.AddToBlacklistAsync("m", "op", "manual");
        Assert.Equal(0, await analyzer.CleanupOldFailuresAsync(30));
        await analyzer.ClearAllAsync();

        Assert.False(analyzer.PersistenceHealthy);
        Assert.False(analyzer.IsStrategyBlacklisted("s", "op"));
        Assert.Contains(path, Assert.Single(_logs.Named("PersistenceUnavailable")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LateLoad_AfterRecovery_OlderFailuresJoinAsEvidence_SuccessesRecordedMeanwhileStillCount()
    {
        await File.WriteAllTextAsync(_db.File(), new string('x', 8192));
        await using var analyzer = Create();
        await analyzer.EnsureLoadedAsync();
        Assert.False(analyzer.PersistenceHealthy);
        var unauthorized = new ServiceException("Unauthorized", 401);
        analyzer.RecordFailure(unauthorized, "op");
        analyzer.RecordSuccess("op");
        analyzer.RecordFailure(unauthorized, "op");

        // The file is replaced by a good database that already holds two older failures of the same operation.
        SqliteConnection.ClearAllPools();
        File.Delete(_db.File());
        var earlier = new SqliteFailureStore(_db.File(), _time);
        foreach (var minutesAgo in new[] { 3, 2 })
        {
            await earlier.SaveFailureAsync(new Failure { Timestamp = _time.GetUtcNow().AddMinutes(-minutesAgo), Operation = "op", ErrorType = "ServiceException", ErrorMessage = "Unauthorized", Category = ErrorCategory.Authentication, StatusCode = 401 });
        }

        _time.Advance(FailureAnalyzerConstants.DefaultPersistenceRetryInterval);
        await analyzer.FlushAsync();

        Assert.True(analyzer.PersistenceHealthy);
        Assert.Equal(4, analyzer.GetRecentFailures("op").Count);
        // Four of one signature in the window, but the success recorded meanwhile still breaks the run: not Permanent.
        Assert.Equal(FailurePattern.Repeating, analyzer.AnalyzePattern("op").Pattern);
        Assert.Equal(4, (await earlier.GetFailuresAsync()).Count);
    }

    [Fact]
    public async Task ReadOnlyFile_RecordingNeverFails_OneError_RetriesAfterInterval()
    {
        await using (var setup = Create())
        {
            setup.RecordFailure(new TimeoutException(), "op");
        }

        SqliteConnection.ClearAllPools();
        using (var c = new SqliteConnection($"Data Source={_db.File()};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            cmd.ExecuteNonQuery();
        }

        Assert.True(_db.MakeReadOnly(_db.File()));
        await using var analyzer = Create();
        await analyzer.EnsureLoadedAsync();
        Assert.Single(analyzer.GetRecentFailures("op")); // reading works

        for (var i = 0; i < 3; i++)
        {
            analyzer.RecordFailure(new TimeoutException(), "op");
            await analyzer.FlushAsync();
        }

        Assert.False(analyzer.PersistenceHealthy);
        Assert.Single(_logs.Named("PersistenceUnavailable"));
        Assert.Equal(4, analyzer.GetRecentFailures("op").Count);

        _time.Advance(TimeSpan.FromSeconds(29));
        await analyzer.FlushAsync();
        Assert.False(analyzer.PersistenceHealthy); // not retried before the interval

        _db.MakeWritable(_db.File());
        SqliteConnection.ClearAllPools();
        _time.Advance(TimeSpan.FromSeconds(1));
        await analyzer.FlushAsync();

        Assert.True(analyzer.PersistenceHealthy);
        Assert.Equal(4, (await analyzer.GetAnalyticsAsync()).TotalFailures);
    }

    [Fact]
    public async Task LockedFile_WriteGivesUpAfterBusyTimeout_OneError_WritesAfterLockIsReleased()
    {
        var store = new SqliteFailureStore(new SqliteStoreOptions { Path = _db.File(), BusyTimeout = TimeSpan.FromSeconds(1) }, _time);
        await using var analyzer = new FailureAnalyzer(store, timeProvider: _time, loggerFactory: _logs);
        using var holder = new SqliteConnection($"Data Source={_db.File()};Pooling=False");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
        }

        analyzer.RecordFailure(new TimeoutException(), "op");
        await analyzer.FlushAsync(); // SQLite waits for the busy timeout, then the analyzer gives up for now

        Assert.False(analyzer.PersistenceHealthy);
        Assert.Contains("locked", Assert.Single(_logs.Named("PersistenceUnavailable")).Message, StringComparison.Ordinal);
        Assert.Single(analyzer.GetRecentFailures("op"));

        using (var commit = holder.CreateCommand())
        {
            commit.CommandText = "COMMIT;";
            commit.ExecuteNonQuery();
        }

        _time.Advance(FailureAnalyzerConstants.DefaultPersistenceRetryInterval);
        await analyzer.FlushAsync();

        Assert.True(analyzer.PersistenceHealthy);
        Assert.Single(await store.GetFailuresAsync());
    }

    [Fact]
    public async Task BufferFull_WhileStoreIsDown_DropsAreCountedAndLoggedOnce()
    {
        await File.WriteAllTextAsync(_db.File(), new string('x', 8192));
        await using var analyzer = Create(new FailureAnalyzerOptions { WriteBufferCapacity = 5 });

        for (var i = 0; i < 8; i++)
        {
            analyzer.RecordFailure(new TimeoutException(), "op");
            await analyzer.FlushAsync();
        }

        Assert.Equal(3, analyzer.DroppedFailures);
        Assert.Single(_logs.Named("FailuresDropped"));
        Assert.Equal(8, analyzer.GetRecentFailures("op").Count); // memory keeps them all

        SqliteConnection.ClearAllPools();
        File.Delete(_db.File());
        _time.Advance(FailureAnalyzerConstants.DefaultPersistenceRetryInterval);
        await analyzer.FlushAsync();

        Assert.Equal(5, (await analyzer.GetAnalyticsAsync()).TotalFailures);
    }

    [Fact]
    public async Task Retention_AtStart_DeletesFailuresOlderThan30Days()
    {
        await using (var first = Create())
        {
            first.RecordFailure(new TimeoutException(), "old");
        }

        _time.Advance(TimeSpan.FromDays(31));
        await using var second = Create();
        second.RecordFailure(new TimeoutException(), "new");
        await second.FlushAsync();

        var ops = (await second.Store.GetFailuresAsync()).Select(f => f.Operation);
        Assert.Equal(["new"], ops);
    }

    [Fact]
    public async Task ClearAllAsync_EmptiesTheFile()
    {
        await using (var first = Create())
        {
            for (var i = 0; i < 5; i++)
            {
                first.RecordFailure(new TimeoutException(), "op", strategy: "s");
            }

            await first.ClearAllAsync();
            first.RecordFailure(new TimeoutException(), "after");
        }

        await using var second = Create();
        await second.EnsureLoadedAsync();
        Assert.False(second.IsStrategyBlacklisted("s", "op"));
        Assert.Equal(0, second.GetStrategyStatistics("s", "op").Attempts);
        Assert.Equal(["after"], (await second.Store.GetFailuresAsync()).Select(f => f.Operation));
    }
}
