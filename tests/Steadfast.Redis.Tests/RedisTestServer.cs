using StackExchange.Redis;

namespace Steadfast.Redis.Tests;

/// <summary>
/// The shared test server: its address comes from STEADFAST_TEST_REDIS (host:port), exported by scripts/test-services.sh.
/// A test that needs it fails, not skips, when it is unset or unreachable. Each test works under its own key prefix.
/// </summary>
internal static class RedisTestServer
{
    public const string Variable = "STEADFAST_TEST_REDIS";

    private static readonly Lazy<Task<IConnectionMultiplexer>> Shared = new(ConnectAsync);

    public static Task<IConnectionMultiplexer> ConnectionAsync() => Shared.Value;

    /// <summary>A multiplexer of its own (another "machine").</summary>
    public static async Task<IConnectionMultiplexer> NewConnectionAsync() => await ConnectionMultiplexer.ConnectAsync(Configuration());

    public static IConnectionMultiplexer Connection => Shared.Value.GetAwaiter().GetResult();

    /// <summary>Options with a prefix no other test uses.</summary>
    public static RedisStoreOptions NewOptions() => new() { KeyPrefix = $"test:{Guid.NewGuid():N}:" };

    public static string Configuration()
    {
        var address = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new InvalidOperationException(
                $"The Redis tests need a redis-server: {Variable} is not set. Run them through scripts/test.sh, or `source scripts/test-services.sh` first (it starts a private server and exports {Variable}=127.0.0.1:<port>).");
        }

        return address + ",abortConnect=true,connectTimeout=5000";
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync()
    {
        var configuration = Configuration();
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(configuration);
        }
        catch (RedisConnectionException ex)
        {
            throw new InvalidOperationException($"The Redis tests cannot reach the server at {Environment.GetEnvironmentVariable(Variable)} ({Variable}); is it running?", ex);
        }
    }
}
