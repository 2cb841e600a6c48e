using StackExchange.Redis;

namespace Steadfast.Redis.Core;

/// <summary>
/// What every Redis store shares: the multiplexer, the validated options, the key names and the one place Redis errors
/// become <see cref="StoreException"/>. Does no I/O when created.
/// </summary>
internal sealed class RedisStoreConnection
{
    private readonly IConnectionMultiplexer _redis;
    private readonly string _storeName;

    public RedisStoreConnection(IConnectionMultiplexer redis, RedisStoreOptions? options, string storeName)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var copy = options?.Clone() ?? new RedisStoreOptions();
        copy.Validate();
        _redis = redis;
        _storeName = storeName;
        Options = copy;
        Keys = new RedisKeys(copy.KeyPrefix);
    }

    public RedisStoreOptions Options { get; }

    public RedisKeys Keys { get; }

    public IConnectionMultiplexer Multiplexer => _redis;

    /// <summary>The servers, for messages (never the configuration string, which may hold a password).</summary>
    public string Location => string.Join(",", _redis.GetEndPoints().Select(e => e.ToString()));

    /// <summary>Runs one Redis operation, turning cancellation into <see cref="OperationCanceledException"/> and Redis trouble into <see cref="StoreException"/>.</summary>
    public async ValueTask<T> RunAsync<T>(string action, Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // StackExchange.Redis takes no tokens: a cancelled caller stops waiting; the command may still complete on the server.
            return await operation(_redis.GetDatabase()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisErrors.IsRedisError(ex))
        {
            throw RedisErrors.Wrap(ex, _storeName, Location, action);
        }
    }

    /// <summary>Runs one Redis operation that returns nothing.</summary>
    public async ValueTask ExecuteAsync(string action, Func<IDatabase, Task> operation, CancellationToken cancellationToken)
        => await RunAsync<bool>(action, async db =>
        {
            await operation(db).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
}
