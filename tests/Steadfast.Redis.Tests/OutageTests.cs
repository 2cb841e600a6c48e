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
    [Fact]
    public async Task CircuitRegistry_ReconnectsAfterMissingAPublish_AppliesTheCircuitOpenedElsewhere()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var store = new RedisCircuitStateStore(redis);
        await using var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { Cooldown = TimeSpan.FromMinutes(5) }, store);
        var breaker = registry.GetOrCreate("provider_x");
        await store.ChangesSubscribed.WaitAsync(Within);
        var seen = SignalOpen(store, "provider_x");

        // Another machine opened the circuit while this one was cut off: stored, but its publish never arrived here.
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},allowAdmin=true");
        await WriteSnapshotAsync(admin, "provider_x", origin: "another-machine");
        Assert.Equal(CircuitState.Closed, breaker.State);
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        await seen.WaitAsync(Within);
        Assert.Equal(CircuitState.Open, breaker.State);
        await Assert.ThrowsAsync<CircuitOpenException>(async () => await breaker.ExecuteAsync(_ => ValueTask.FromResult(42)));
    }

    [Fact]
    public async Task CircuitRegistry_ReconnectsWithItsOwnOlderSnapshotStored_KeepsItsLocalState()
    {
        await using var server = await PrivateRedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var store = new RedisCircuitStateStore(redis);
        await using var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { Cooldown = TimeSpan.FromMinutes(5) }, store);
        var own = registry.GetOrCreate("provider_x");
        var other = registry.GetOrCreate("provider_y");
        await store.ChangesSubscribed.WaitAsync(Within);
        var otherSeen = SignalOpen(store, "provider_y");

        // This machine's own snapshot from before the outage (its later save failed) and, as a marker that the resync ran,
        // another machine's.
        using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},allowAdmin=true");
        await WriteSnapshotAsync(admin, "provider_x", origin: store.Origin);
        await WriteSnapshotAsync(admin, "provider_y", origin: "another-machine");
        await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        await otherSeen.WaitAsync(Within);
        Assert.Equal(CircuitState.Open, other.State);
        Assert.Equal(CircuitState.Closed, own.State);
    }

    private static Task WriteSnapshotAsync(IConnectionMultiplexer admin, string name, string origin)
    {
        var snapshot = new CircuitBreakerSnapshot
        {
            Name = name,
            State = CircuitState.Open,
            OpenedAt = TimeProvider.System.GetUtcNow(),
            OpenUntil = TimeProvider.System.GetUtcNow().AddMinutes(5),
            ConsecutiveOpenings = 1,
            SavedAt = TimeProvider.System.GetUtcNow(),
        };
        var json = Redis.Core.RedisJson.ToJson(snapshot) with { Origin = origin };
        return admin.GetDatabase().HashSetAsync("steadfast:v1:circuits", name,
            System.Text.Json.JsonSerializer.Serialize(json, Redis.Core.RedisJsonContext.Default.CircuitJson));
    }

    private static Task SignalOpen(RedisCircuitStateStore store, string name)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = store.SubscribeCircuitChanges(s =>
        {
            if (s.Name == name && s.State == CircuitState.Open)
            {
                done.TrySetResult();
            }
        });
        return done.Task;
    }
}
