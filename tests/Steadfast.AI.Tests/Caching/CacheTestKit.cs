using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.AI.Tests.Caching;

internal static class CacheTestKit
{
    // Far ahead of the real clock: L3 entries get an absolute expiry from this clock, which Redis requires to be in the future.
    public static FakeTimeProvider Time() => new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static RedisCache Redis(string instance)
    {
        var address = Environment.GetEnvironmentVariable("STEADFAST_TEST_REDIS");
        Assert.False(string.IsNullOrWhiteSpace(address),
            "STEADFAST_TEST_REDIS is not set: run the tests through scripts/test.sh (scripts/test-services.sh starts redis-server and exports host:port).");
        return new RedisCache(new RedisCacheOptions { Configuration = address, InstanceName = instance });
    }

    public static ValueTask<T> Value<T>(T value) => ValueTask.FromResult(value);
}
