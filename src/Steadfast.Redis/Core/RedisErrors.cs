using StackExchange.Redis;

namespace Steadfast.Redis.Core;

/// <summary>Turns what StackExchange.Redis throws into the one <see cref="StoreException"/> every Steadfast store throws.</summary>
internal static class RedisErrors
{
    /// <summary>Whether <paramref name="exception"/> comes from Redis or the connection to it (as opposed to a bug).</summary>
    public static bool IsRedisError(Exception exception)
        => exception is RedisException or TimeoutException or ObjectDisposedException { ObjectName: nameof(ConnectionMultiplexer) };

    /// <summary>The kind of store failure a Redis exception means.</summary>
    public static StoreFailure Classify(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException or ObjectDisposedException => StoreFailure.Unavailable,
        RedisServerException s when s.Message.StartsWith("OOM", StringComparison.Ordinal) => StoreFailure.Full,
        RedisServerException s when s.Message.StartsWith("READONLY", StringComparison.Ordinal) => StoreFailure.ReadOnly,
        RedisServerException s when s.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || s.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal) || s.Message.StartsWith("BUSY", StringComparison.Ordinal) => StoreFailure.Unavailable,
        RedisServerException s when s.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal) => StoreFailure.Foreign,
        _ => StoreFailure.Unknown,
    };

    /// <summary>The exception a store throws for <paramref name="exception"/>, saying what it was doing and what to do.</summary>
    public static StoreException Wrap(Exception exception, string storeName, string location, string action)
    {
        var failure = Classify(exception);
        var advice = failure switch
        {
            StoreFailure.Unavailable => "Redis cannot be reached; check that the server runs and the connection string (host:port) is right. Trying again later may succeed.",
            StoreFailure.Full => "Redis is out of memory (maxmemory); free memory, shorten the retention or raise maxmemory.",
            StoreFailure.ReadOnly => "Redis refuses writes (a replica or a read-only user); point the connection at the primary.",
            StoreFailure.Foreign => "a key under the prefix holds another type of value: another application uses the same KeyPrefix; choose another RedisStoreOptions.KeyPrefix.",
            _ => "see the inner exception.",
        };
        return new StoreException(failure, storeName, location, $"{storeName} could not {action} on Redis {location}: {advice}", exception);
    }
}
