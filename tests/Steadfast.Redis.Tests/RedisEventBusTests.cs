namespace Steadfast.Redis.Tests;

public class ProviderEvent
{
    public string Provider { get; set; } = string.Empty;
}

public sealed class ProviderDownEvent : ProviderEvent
{
    public int Failures { get; set; }
}

public sealed class RedisEventBusTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10); // a hang guard, not a timing assertion

    [Fact]
    public async Task PublishAndWaitAsync_LocalSubscriber_HandledBeforeItReturns()
    {
        await using var bus = new RedisEventBus(await RedisTestServer.ConnectionAsync(), RedisTestServer.NewOptions());
        var received = new List<string>();
        using var subscription = bus.Subscribe<ProviderDownEvent>((e, _) =>
        {
            received.Add(e.Provider);
            return Task.CompletedTask;
        });

        await bus.PublishAndWaitAsync(new ProviderDownEvent { Provider = "x", Failures = 3 });

        Assert.Equal(["x"], received);
    }

    [Fact]
    public async Task PublishAsync_OnOneMachine_ReachesTheOthersSubscriberOfABaseType()
    {
        var options = RedisTestServer.NewOptions();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new RedisEventBus(await RedisTestServer.ConnectionAsync(), options);
        await using var b = new RedisEventBus(redisB, options);
        var got = new TaskCompletionSource<ProviderEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = b.Subscribe<ProviderEvent>((e, _) =>
        {
            got.TrySetResult(e);
            return Task.CompletedTask;
        });
        await b.Ready.WaitAsync(Within);

        await a.PublishAsync(new ProviderDownEvent { Provider = "x", Failures = 3 });

        var e = await got.Task.WaitAsync(Within);
        Assert.Equal("x", e.Provider);
    }

    [Fact]
    public async Task PublishAsync_OtherMachineSubscribedToTheType_ReceivesEveryField()
    {
        var options = RedisTestServer.NewOptions();
        using var redisB = await RedisTestServer.NewConnectionAsync();
        await using var a = new RedisEventBus(await RedisTestServer.ConnectionAsync(), options);
        await using var b = new RedisEventBus(redisB, options);
        var got = new TaskCompletionSource<ProviderDownEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = b.Subscribe<ProviderDownEvent>((e, _) =>
        {
            got.TrySetResult(e);
            return Task.CompletedTask;
        });
        await b.Ready.WaitAsync(Within);

        await a.PublishAsync(new ProviderDownEvent { Provider = "x", Failures = 3 });

        Assert.Equal(3, (await got.Task.WaitAsync(Within)).Failures);
    }

    [Fact]
    public async Task PublishAndWaitAsync_HandlerThrows_OthersStillRun()
    {
        await using var bus = new RedisEventBus(await RedisTestServer.ConnectionAsync(), RedisTestServer.NewOptions());
        var ran = false;
        using var bad = bus.Subscribe<ProviderEvent>((_, _) => throw new InvalidOperationException("handler bug"));
        using var good = bus.Subscribe<ProviderEvent>((_, _) =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        await bus.PublishAndWaitAsync(new ProviderEvent { Provider = "x" });

        Assert.True(ran);
    }

    [Fact]
    public async Task Subscribe_Disposed_NoLongerCalled()
    {
        await using var bus = new RedisEventBus(await RedisTestServer.ConnectionAsync(), RedisTestServer.NewOptions());
        var calls = 0;
        var subscription = bus.Subscribe<ProviderEvent>((_, _) =>
        {
            calls++;
            return Task.CompletedTask;
        });
        await bus.PublishAndWaitAsync(new ProviderEvent());

        subscription.Dispose();
        await bus.PublishAndWaitAsync(new ProviderEvent());

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task PublishAsync_BufferFull_DropsAndCounts()
    {
        var options = RedisTestServer.NewOptions();
        options.EventBufferCapacity = 1;
        await using var bus = new RedisEventBus(await RedisTestServer.ConnectionAsync(), options);
        var release = new TaskCompletionSource();
        using var slow = bus.Subscribe<ProviderEvent>((_, _) => release.Task);

        for (var i = 0; i < 5; i++)
        {
            await bus.PublishAsync(new ProviderEvent());
        }

        Assert.True(bus.DroppedEvents >= 1);
        release.SetResult();
    }
}
