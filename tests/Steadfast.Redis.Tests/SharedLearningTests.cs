using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Redis.Tests;

/// <summary>Two "machines" (two multiplexers, two stores, two analyzers) on one Redis: blacklist changes cross at once.</summary>
public sealed class SharedLearningTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10); // a hang guard, not a timing assertion

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AddToBlacklist_OnOneMachine_InForceOnTheOther()
    {
        var options = RedisTestServer.NewOptions();
        using var redisA = await RedisTestServer.NewConnectionAsync();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new FailureAnalyzer(new RedisFailureStore(redisA, options, _time), timeProvider: _time);
        var storeB = new RedisFailureStore(redisB, options, _time);
        await using var b = new FailureAnalyzer(storeB, timeProvider: _time);
        var seen = Signal(storeB, "provider_x");
        await storeB.ChangesSubscribed.WaitAsync(Within);

        await a.AddToBlacklistAsync("provider_x", "chat", "dead", TimeSpan.FromHours(1));

        var change = await seen.WaitAsync(Within);
        Assert.NotNull(change.Entry);
        Assert.True(b.IsStrategyBlacklisted("provider_x", "chat"));
        Assert.False(b.IsStrategyBlacklisted("provider_y", "chat"));
    }

    [Fact]
    public async Task RemoveFromBlacklist_OnOneMachine_LiftedOnTheOther()
    {
        var options = RedisTestServer.NewOptions();
        using var redisA = await RedisTestServer.NewConnectionAsync();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new FailureAnalyzer(new RedisFailureStore(redisA, options, _time), timeProvider: _time);
        var storeB = new RedisFailureStore(redisB, options, _time);
        await using var b = new FailureAnalyzer(storeB, timeProvider: _time);
        await storeB.ChangesSubscribed.WaitAsync(Within);
        var added = Signal(storeB, "provider_x");
        await a.AddToBlacklistAsync("provider_x", "chat", "dead");
        await added.WaitAsync(Within);
        Assert.True(b.IsStrategyBlacklisted("provider_x", "chat"));

        var removed = Signal(storeB, "provider_x");
        Assert.True(await a.RemoveFromBlacklistAsync("provider_x", "chat"));

        Assert.Null((await removed.WaitAsync(Within)).Entry);
        Assert.False(b.IsStrategyBlacklisted("provider_x", "chat"));
    }

    [Fact]
    public async Task RecordFailure_OnOneMachine_CountsInTheSharedAnalytics()
    {
        var options = RedisTestServer.NewOptions();
        var connection = await RedisTestServer.ConnectionAsync();
        await using var a = new FailureAnalyzer(new RedisFailureStore(connection, options, _time), timeProvider: _time);
        await using var b = new FailureAnalyzer(new RedisFailureStore(connection, options, _time), timeProvider: _time);

        a.RecordFailure(new TimeoutException("slow"), "chat", strategy: "provider_x");
        await a.FlushAsync();

        Assert.Equal(1, (await b.GetAnalyticsAsync()).TotalFailures);
    }

    [Fact]
    public async Task RecordFailure_OnOneMachine_CountsTowardTheOthersPatternsAndAutomaticBlacklist()
    {
        var options = RedisTestServer.NewOptions();
        using var redisA = await RedisTestServer.NewConnectionAsync();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        // A never blacklists by itself: the entry B ends up with is B's own conclusion from A's failures.
        await using var a = new FailureAnalyzer(new RedisFailureStore(redisA, options, _time), new FailureAnalyzerOptions { BlacklistThreshold = 3, EnableAutomaticBlacklist = false }, _time);
        var storeB = new RedisFailureStore(redisB, options, _time);
        await using var b = new FailureAnalyzer(storeB, new FailureAnalyzerOptions { BlacklistThreshold = 3 }, _time);
        await b.EnsureLoadedAsync();
        var seen = FailuresSeen(storeB, 3);
        await storeB.ChangesSubscribed.WaitAsync(Within);

        for (var i = 0; i < 3; i++)
        {
            a.RecordFailure(new TimeoutException("slow"), "chat", strategy: "provider_x");
        }

        await a.FlushAsync();
        await seen.WaitAsync(Within);

        Assert.Equal(3, b.GetRecentFailures("chat").Count);
        Assert.NotEqual(FailurePattern.None, b.AnalyzePattern("chat").Pattern);
        Assert.True(b.IsStrategyBlacklisted("provider_x", "chat"));
    }

    [Fact]
    public async Task RecordFailure_OwnFailuresPublished_CountOnceBesideTheOthers()
    {
        var options = RedisTestServer.NewOptions();
        using var redisA = await RedisTestServer.NewConnectionAsync();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new FailureAnalyzer(new RedisFailureStore(redisA, options, _time), new FailureAnalyzerOptions { BlacklistThreshold = 3, EnableAutomaticBlacklist = false }, _time);
        var storeB = new RedisFailureStore(redisB, options, _time);
        await using var b = new FailureAnalyzer(storeB, new FailureAnalyzerOptions { BlacklistThreshold = 3 }, _time);
        await b.EnsureLoadedAsync();
        await storeB.ChangesSubscribed.WaitAsync(Within);

        // B's own two failures, written and published: B hears only the other machines, so they stay two.
        b.RecordFailure(new TimeoutException("slow"), "chat", strategy: "provider_x");
        b.RecordFailure(new TimeoutException("slow"), "chat", strategy: "provider_x");
        await b.FlushAsync();
        Assert.False(b.IsStrategyBlacklisted("provider_x", "chat"));

        var seen = FailuresSeen(storeB, 1);
        a.RecordFailure(new TimeoutException("slow"), "chat", strategy: "provider_x");
        await a.FlushAsync();
        await seen.WaitAsync(Within);

        Assert.Equal(3, b.GetRecentFailures("chat").Count);
        Assert.True(b.IsStrategyBlacklisted("provider_x", "chat")); // two here and one there reach the threshold together
    }

    private static Task FailuresSeen(RedisFailureStore store, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        _ = store.SubscribeFailures(failures =>
        {
            if (Interlocked.Add(ref seen, failures.Count) >= count)
            {
                done.TrySetResult();
            }
        });
        return done.Task;
    }

    [Fact]
    public async Task SubscribeBlacklistChanges_OwnChange_IsNotEchoedBack()
    {
        var options = RedisTestServer.NewOptions();
        var connection = await RedisTestServer.ConnectionAsync();
        var a = new RedisFailureStore(connection, options, _time);
        var b = new RedisFailureStore(connection, options, _time);
        var seen = new List<BlacklistChange>();
        using var subscription = a.SubscribeBlacklistChanges(c =>
        {
            lock (seen)
            {
                seen.Add(c);
            }
        });
        var marker = Signal(a, "marker");
        await a.ChangesSubscribed.WaitAsync(Within);

        await a.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "own", Operation = "op", Reason = "r", AddedAt = _time.GetUtcNow() });
        await b.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "marker", Operation = "op", Reason = "r", AddedAt = _time.GetUtcNow() });
        await marker.WaitAsync(Within);

        lock (seen)
        {
            Assert.DoesNotContain(seen, c => c.StrategyName == "own");
            Assert.Contains(seen, c => c.StrategyName == "marker");
        }
    }

    private static Task<BlacklistChange> Signal(RedisFailureStore store, string strategy)
    {
        var done = new TaskCompletionSource<BlacklistChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable? subscription = null;
        subscription = store.SubscribeBlacklistChanges(c =>
        {
            if (c.StrategyName == strategy && done.TrySetResult(c))
            {
                subscription?.Dispose();
            }
        });
        return done.Task;
    }
}
