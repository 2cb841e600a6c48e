using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning;

/// <summary>
/// The start-up load runs in the background: what is recorded before it completes stays, and what the store holds
/// goes underneath it as if it had been loaded first. The store's load waits for the test to open its gate.
/// </summary>
public sealed class FailureAnalyzerLoadTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private readonly LoadGatedStore _store;
    private FailureAnalyzer _analyzer = null!;

    public FailureAnalyzerLoadTests() => _store = new LoadGatedStore(new InMemoryFailureStore(timeProvider: _time));

    private DateTimeOffset Now => _time.GetUtcNow();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _store.Open();
        await _analyzer.DisposeAsync();
    }

    private FailureAnalyzer Create(FailureAnalyzerOptions? options = null) => _analyzer = new FailureAnalyzer(_store, options, _time);

    private static Failure Stored(DateTimeOffset at, string operation = "op", string? strategy = null) =>
        new() { Timestamp = at, Operation = operation, Strategy = strategy, ErrorType = "TimeoutException", ErrorMessage = "timed out", Category = ErrorCategory.Timeout };

    private static BlacklistEntry Entry(DateTimeOffset addedAt, TimeSpan? expiresAfter, bool automatic, int times = 1) => new()
    {
        StrategyName = "s",
        Operation = "op",
        Reason = "stored",
        AddedAt = addedAt,
        ExpiresAt = addedAt + expiresAfter,
        IsAutomatic = automatic,
        TimesBlacklisted = times,
    };

    [Fact]
    public async Task EnsureLoadedAsync_StoredBlacklistEntry_InForceOnceLoadCompleted()
    {
        await _store.Inner.AddToBlacklistAsync(Entry(Now.AddMinutes(-5), expiresAfter: null, automatic: false));
        Create();
        var loaded = _analyzer.EnsureLoadedAsync();

        Assert.False(loaded.IsCompleted); // the constructor returned without reading the store
        Assert.False(_analyzer.IsStrategyBlacklisted("s", "op"));

        _store.Open();
        await loaded;

        Assert.True(_analyzer.IsStrategyBlacklisted("s", "op"));
        Assert.True(_analyzer.EnsureLoadedAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RecordFailure_BeforeLoadCompletes_StaysAndStoredHistoryGoesUnderneath()
    {
        await _store.Inner.SaveFailuresAsync([Stored(Now.AddMinutes(-3), strategy: "s"), Stored(Now.AddMinutes(-2), strategy: "s")]);
        await _store.Inner.MergeStrategyStatisticsAsync([new StrategyStatistics { StrategyName = "s", Operation = "op", Failures = 2, LastFailureAt = Now.AddMinutes(-2) }]);
        Create();
        var own = _analyzer.RecordFailure(new TimeoutException("timed out"), "op", strategy: "s");
        _analyzer.RecordSuccess("op", "t");

        _store.Open();
        await _analyzer.EnsureLoadedAsync();

        var failures = _analyzer.GetRecentFailures("op");
        Assert.Equal(3, failures.Count);
        Assert.Same(own, failures[^1]);
        Assert.Equal(3, _analyzer.GetStrategyStatistics("s", "op").Failures);
        Assert.Equal(1, _analyzer.GetStrategyStatistics("t", "op").Successes);

        // Only this process's failure and success reach the store: nothing loaded is written back.
        await _analyzer.FlushAsync();
        Assert.Equal(3, (await _store.Inner.GetFailuresAsync(null, null, null, 100)).Count);
        Assert.Equal(3, (await _store.Inner.GetStrategyStatisticsAsync()).Single(x => x.StrategyName == "s").Failures);
    }

    [Fact]
    public async Task RecordFailure_BeforeLoadCompletes_LoadedRunJoinsTheTrailingRun()
    {
        await _store.Inner.SaveFailuresAsync([Stored(Now.AddMinutes(-8)), Stored(Now.AddMinutes(-7))]);
        Create(new FailureAnalyzerOptions { PermanentSpan = TimeSpan.FromMinutes(5) });
        _analyzer.RecordFailure(new TimeoutException("timed out"), "op");

        _store.Open();
        await _analyzer.EnsureLoadedAsync();

        // One signature unbroken by a success for 8 minutes (over PermanentSpan): the run began before the restart.
        Assert.Equal(FailurePattern.Permanent, _analyzer.AnalyzePattern("op").Pattern);
    }

    [Fact]
    public async Task RecordFailure_BeforeLoadCompletes_GrowthContinuesFromStoredAutomaticEntry()
    {
        await _store.Inner.AddToBlacklistAsync(Entry(Now.AddHours(-2), TimeSpan.FromHours(1), automatic: true, times: 1));
        Create();
        for (var i = 0; i < 5; i++)
        {
            _analyzer.RecordFailure(new TimeoutException("timed out"), "op", strategy: "s");
        }

        Assert.Equal(1, _analyzer.GetBlacklistEntry("s", "op")!.TimesBlacklisted);

        _store.Open();
        await _analyzer.EnsureLoadedAsync();
        await _analyzer.FlushAsync();

        var entry = _analyzer.GetBlacklistEntry("s", "op")!;
        Assert.Equal(2, entry.TimesBlacklisted);
        Assert.Equal(TimeSpan.FromHours(2), entry.ExpiresAt - entry.AddedAt);
        Assert.Equal(2, Assert.Single(await _store.Inner.GetBlacklistAsync(includeExpired: true)).TimesBlacklisted);
    }

    [Fact]
    public async Task RecordFailure_BeforeLoadCompletes_StoredEntryInForceStays()
    {
        var stored = Entry(Now.AddMinutes(-5), TimeSpan.FromHours(4), automatic: true, times: 3);
        await _store.Inner.AddToBlacklistAsync(stored);
        Create();
        for (var i = 0; i < 5; i++)
        {
            _analyzer.RecordFailure(new TimeoutException("timed out"), "op", strategy: "s");
        }

        _store.Open();
        await _analyzer.EnsureLoadedAsync();
        await _analyzer.FlushAsync();

        Assert.Equal(stored, _analyzer.GetBlacklistEntry("s", "op"));
        Assert.Equal(stored, Assert.Single(await _store.Inner.GetBlacklistAsync(includeExpired: true)));
    }

    [Fact]
    public async Task RecordSuccess_BeforeLoadCompletes_LiftsStoredAutomaticEntry()
    {
        await _store.Inner.AddToBlacklistAsync(Entry(Now.AddMinutes(-5), TimeSpan.FromHours(1), automatic: true));
        Create();
        _analyzer.RecordSuccess("op", "s");

        _store.Open();
        await _analyzer.EnsureLoadedAsync();
        await _analyzer.FlushAsync();

        Assert.False(_analyzer.IsStrategyBlacklisted("s", "op"));
        Assert.Empty(await _store.Inner.GetBlacklistAsync(includeExpired: true));
    }

    [Fact]
    public async Task RecordSuccess_BeforeLoadCompletes_DoesNotLiftManualEntry()
    {
        await _store.Inner.AddToBlacklistAsync(Entry(Now.AddMinutes(-5), expiresAfter: null, automatic: false));
        Create();
        _analyzer.RecordSuccess("op", "s");

        _store.Open();
        await _analyzer.EnsureLoadedAsync();

        Assert.True(_analyzer.IsStrategyBlacklisted("s", "op"));
    }

    [Fact]
    public async Task RemoveFromBlacklistAsync_BeforeLoadCompletes_StoredEntryDoesNotComeBack()
    {
        await _store.Inner.AddToBlacklistAsync(Entry(Now.AddMinutes(-5), expiresAfter: null, automatic: false));
        Create();
        var removing = _analyzer.RemoveFromBlacklistAsync("s", "op");

        _store.Open();
        await removing;
        await _analyzer.EnsureLoadedAsync();

        Assert.False(_analyzer.IsStrategyBlacklisted("s", "op"));
        Assert.Empty(await _store.Inner.GetBlacklistAsync(includeExpired: true));
    }

    [Fact]
    public async Task ClearAllAsync_BeforeLoadCompletes_NothingStoredComesBack_LaterRecordsStay()
    {
        await _store.Inner.AddToBlacklistAsync(Entry(Now.AddMinutes(-5), expiresAfter: null, automatic: false));
        await _store.Inner.SaveFailuresAsync([Stored(Now.AddMinutes(-3))]);
        Create();
        var clearing = _analyzer.ClearAllAsync();
        _analyzer.RecordFailure(new TimeoutException("after the clear"), "op");

        _store.Open();
        await clearing;
        await _analyzer.FlushAsync();

        Assert.False(_analyzer.IsStrategyBlacklisted("s", "op"));
        Assert.Equal("after the clear", Assert.Single(_analyzer.GetRecentFailures("op")).ErrorMessage);
        Assert.Equal("after the clear", Assert.Single(await _store.Inner.GetFailuresAsync(null, null, null, 100)).ErrorMessage);
    }

    [Fact]
    public async Task CleanupOldFailuresAsync_BeforeLoadCompletes_OlderStoredFailuresDoNotComeBack()
    {
        await _store.Inner.SaveFailuresAsync([Stored(Now.AddDays(-3)), Stored(Now.AddHours(-1))]);
        Create(new FailureAnalyzerOptions { PatternWindow = TimeSpan.FromDays(7) }); // the load reaches both
        var cleaning = _analyzer.CleanupOldFailuresAsync(days: 1);

        _store.Open();
        await cleaning;
        await _analyzer.EnsureLoadedAsync();

        var kept = Assert.Single(_analyzer.GetRecentFailures("op"));
        Assert.Equal(Now.AddHours(-1), kept.Timestamp);
    }

    [Fact]
    public async Task EnsureLoadedAsync_StoreCannotBeRead_CompletesWithPersistenceUnhealthy_RecordingWorks()
    {
        Create();
        _store.Fail(new InvalidOperationException("the store is broken"));

        await _analyzer.EnsureLoadedAsync();

        Assert.False(_analyzer.PersistenceHealthy);
        _analyzer.RecordFailure(new TimeoutException(), "op");
        Assert.Single(_analyzer.GetRecentFailures("op"));
    }

    [Fact]
    public async Task EnsureLoadedAsync_Canceled_StopsWaitingButNotTheLoad()
    {
        await _store.Inner.AddToBlacklistAsync(Entry(Now.AddMinutes(-5), expiresAfter: null, automatic: false));
        Create();
        using var cancel = new CancellationTokenSource();
        var waiting = _analyzer.EnsureLoadedAsync(cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask());

        _store.Open();
        await _analyzer.EnsureLoadedAsync();
        Assert.True(_analyzer.IsStrategyBlacklisted("s", "op"));
    }
}
