using StackExchange.Redis;

namespace Steadfast.Benchmarks.Redis;

/// <summary>The Redis server of the Redis benchmarks: STEADFAST_TEST_REDIS (host:port), as `source scripts/test-services.sh` exports it.</summary>
internal static class RedisBenchServer
{
    public static IConnectionMultiplexer Connect()
    {
        var address = Environment.GetEnvironmentVariable("STEADFAST_TEST_REDIS")
            ?? throw new InvalidOperationException("Set STEADFAST_TEST_REDIS=host:port (`source scripts/test-services.sh` starts a private redis-server and exports it).");
        return ConnectionMultiplexer.Connect(address + ",abortConnect=false");
    }

    public static RedisStoreOptions NewOptions() => new() { KeyPrefix = $"bench:{Guid.NewGuid():N}:" };
}
