namespace Steadfast.Redis.Tests;

/// <summary>Two "machines" (two multiplexers, two stores, two registries) on one Redis: a circuit one opens is open on the other.</summary>
public sealed class SharedCircuitTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10); // a hang guard, not a timing assertion
    private static readonly CircuitBreakerOptions Options = new() { FailureThreshold = 1, Cooldown = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task OpenedOnOneMachine_IsOpenOnTheOther()
    {
        var options = RedisTestServer.NewOptions();
        using var redisA = await RedisTestServer.NewConnectionAsync();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new CircuitBreakerRegistry(Options, new RedisCircuitStateStore(redisA, options));
        var storeB = new RedisCircuitStateStore(redisB, options);
        await using var b = new CircuitBreakerRegistry(Options, storeB);
        var onB = b.GetOrCreate("provider_x");
        var seen = Signal(storeB, CircuitState.Open);
        await storeB.ChangesSubscribed.WaitAsync(Within);

        a.GetOrCreate("provider_x").RecordFailure(new TimeoutException("dead"));

        await seen.WaitAsync(Within);
        Assert.Equal(CircuitState.Open, onB.State);
        await Assert.ThrowsAsync<CircuitOpenException>(async () => await onB.ExecuteAsync(_ => ValueTask.FromResult(42)));
    }

    [Fact]
    public async Task ClosedOnOneMachine_ClosesTheOther()
    {
        var options = RedisTestServer.NewOptions();
        using var redisA = await RedisTestServer.NewConnectionAsync();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new CircuitBreakerRegistry(Options, new RedisCircuitStateStore(redisA, options));
        var storeB = new RedisCircuitStateStore(redisB, options);
        await using var b = new CircuitBreakerRegistry(Options, storeB);
        var onB = b.GetOrCreate("provider_x");
        await storeB.ChangesSubscribed.WaitAsync(Within);
        var opened = Signal(storeB, CircuitState.Open);
        var onA = a.GetOrCreate("provider_x");
        onA.RecordFailure(new TimeoutException("dead"));
        await opened.WaitAsync(Within);

        var closed = Signal(storeB, CircuitState.Closed);
        onA.Reset();

        await closed.WaitAsync(Within);
        Assert.Equal(CircuitState.Closed, onB.State);
    }

    [Fact]
    public async Task CircuitNotCreatedYet_GetsTheRemoteStateWhenCreated()
    {
        var options = RedisTestServer.NewOptions();
        using var redisA = await RedisTestServer.NewConnectionAsync();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new CircuitBreakerRegistry(Options, new RedisCircuitStateStore(redisA, options));
        var storeB = new RedisCircuitStateStore(redisB, options);
        await using var b = new CircuitBreakerRegistry(Options, storeB);
        var seen = Signal(storeB, CircuitState.Open);
        await storeB.ChangesSubscribed.WaitAsync(Within);

        a.GetOrCreate("provider_x").RecordFailure(new TimeoutException("dead"));
        await seen.WaitAsync(Within);

        Assert.Equal(CircuitState.Open, b.GetOrCreate("provider_x").State);
        Assert.Equal(CircuitState.Closed, b.GetOrCreate("provider_y").State);
    }

    private static Task Signal(RedisCircuitStateStore store, CircuitState state)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable? subscription = null;
        subscription = store.SubscribeCircuitChanges(s =>
        {
            if (s.State == state && done.TrySetResult())
            {
                subscription?.Dispose();
            }
        });
        return done.Task;
    }
}
