using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Steadfast.Redis.Tests;

/// <summary>Redis stopped mid-run (a private server this test starts and stops, never the shared one).</summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30); // a hang guard, not a timing assertion

    [Fact]
    public async Task EnqueueAsync_RedisDown_ThrowsUnavailableAndNothingPretendsToBeStored()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var queue = new DurableQueue<int>(new RedisQueueStore(redis, "orders"));
        await queue.EnqueueAsync(1);

        await server.StopAsync();

        var ex = await Assert.ThrowsAsync<StoreException>(async () => await queue.EnqueueAsync(2));
        Assert.Equal(StoreFailure.Unavailable, ex.Failure);
        Assert.Equal(nameof(RedisQueueStore), ex.StoreName);
    }

    [Fact]
    public async Task Analyzer_RedisDownThenBack_KeepsServingAndWritesTheBufferedFailures()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var store = new RedisFailureStore(redis, timeProvider: time);
        var options = new FailureAnalyzerOptions { PersistenceRetryInterval = TimeSpan.FromSeconds(5) };
        await using var analyzer = new FailureAnalyzer(store, options, time);
        await analyzer.EnsureLoadedAsync();
        await server.StopAsync();

        for (var i = 0; i < 3; i++)
        {
            analyzer.RecordFailure(new TimeoutException("slow"), "chat", strategy: "provider_x");
        }

        await analyzer.FlushAsync();
        Assert.False(analyzer.PersistenceHealthy);
        Assert.Equal(3, analyzer.GetRecentFailures("chat").Count);

        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        redis.ConnectionRestored += (_, _) => restored.TrySetResult();
        await server.StartAgainAsync();
        await restored.Task.WaitAsync(Within);
        time.Advance(options.PersistenceRetryInterval);
        analyzer.RecordFailure(new TimeoutException("slow"), "chat", strategy: "provider_x");
        await analyzer.FlushAsync();

        Assert.True(analyzer.PersistenceHealthy);
        Assert.Equal(4, (await store.GetFailuresAsync(operation: "chat")).Count);
    }

    [Fact]
    public async Task CircuitRegistry_RedisDown_LocalBreakerStillOpensAndServes()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        await using var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureThreshold = 2 }, new RedisCircuitStateStore(redis));
        var breaker = registry.GetOrCreate("provider_x");
        await server.StopAsync();

        Assert.Equal(42, await breaker.ExecuteAsync(_ => ValueTask.FromResult(42)));
        breaker.RecordFailure(new TimeoutException());
        breaker.RecordFailure(new TimeoutException());
        await registry.FlushAsync();

        Assert.Equal(CircuitState.Open, breaker.State);
    }

    [Fact]
    public async Task Analyzer_ReconnectsAfterMissingAPublish_ResynchronisesTheBlacklist()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var store = new RedisFailureStore(redis, timeProvider: time);
        await using var analyzer = new FailureAnalyzer(store, timeProvider: time);
        await store.ChangesSubscribed.WaitAsync(Within);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = store.SubscribeBlacklistChanges(c =>
        {
            if (c.StrategyName == "provider_x")
            {
                seen.TrySetResult();
            }
        });

        // Another machine's entry whose publish this machine missed (written without a publish), then a reconnect.
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},allowAdmin=true");
        var entry = new BlacklistEntry { StrategyName = "provider_x", Operation = "chat", Reason = "dead elsewhere", AddedAt = time.GetUtcNow() };
        await admin.GetDatabase().HashSetAsync("steadfast:v1:blacklist", "provider_x\u001fchat",
            System.Text.Json.JsonSerializer.Serialize(Redis.Core.RedisJson.ToJson(entry), Redis.Core.RedisJsonContext.Default.BlacklistJson));
        Assert.False(analyzer.IsStrategyBlacklisted("provider_x", "chat"));
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        await seen.Task.WaitAsync(Within);
        Assert.True(analyzer.IsStrategyBlacklisted("provider_x", "chat"));
    }
}
