using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.Redis.Tests;

public sealed class RedisDependencyInjectionTests
{
    [Fact]
    public async Task UseRedis_ConnectionString_RegistersEveryRedisStoreAndTheBus()
    {
        var services = new ServiceCollection();
        services.AddSteadfast().UseRedis(RedisTestServer.Configuration().Replace("abortConnect=true", "abortConnect=false", StringComparison.Ordinal), o => o.KeyPrefix = "di-test:");
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<RedisFailureStore>(provider.GetRequiredService<IFailureStore>());
        Assert.IsType<RedisCircuitStateStore>(provider.GetRequiredService<ICircuitStateStore>());
        Assert.IsType<RedisCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
        var queue = Assert.IsType<RedisQueueStore>(provider.GetRequiredKeyedService<IQueueStore>("orders"));
        Assert.Equal("orders", queue.QueueName);
        Assert.IsType<RedisEventBus>(provider.GetRequiredService<IEventBus>());
        Assert.Contains("di-test:", provider.GetRequiredService<IFailureStore>().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseRedis_StoreRegisteredByTheApplication_Wins()
    {
        var services = new ServiceCollection();
        var mine = new InMemoryCircuitStateStore();
        services.AddSingleton<ICircuitStateStore>(mine);
        services.AddSteadfast().UseRedis(RedisTestServer.Configuration());
        await using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ICircuitStateStore>());
        Assert.IsType<RedisFailureStore>(provider.GetRequiredService<IFailureStore>());
    }
}
