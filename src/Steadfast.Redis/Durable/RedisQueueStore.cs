using System.Globalization;
using StackExchange.Redis;
using Steadfast.Redis.Core;
using Steadfast.Redis.Durable.Queue;

namespace Steadfast;

/// <summary>
/// An <see cref="IQueueStore"/> on Redis Streams, shared by every worker on every machine: one stream per priority level
/// with a consumer group, items leased by <c>XREADGROUP</c> (they sit in the group's pending entries list until
/// <c>XACK</c>), redelivered with <c>XCLAIM</c> after a failure or an expired lease, and moved to a dead-letter stream
/// with their last error after <c>maxDeliveryAttempts</c>. Every operation is one Lua script, so it is atomic.
/// </summary>
/// <remarks>
/// <para>
/// Leases expire on the caller's clock (the <c>now</c> the queue passes, from its <see cref="TimeProvider"/>), kept beside
/// the pending entries, rather than on the entries' idle time in Redis: the same rule as the other stores, testable with a
/// fake clock, and a worker that dies (even by SIGKILL) still loses its items to another worker once the lease expires.
/// Redis 7.0 or later (Redis 8's <c>XACKDEL</c> is not needed).
/// </para>
/// <para>
/// At least once: an enqueue that returned is in Redis (as durable as the server's persistence, see docs/redis.md), and an
/// enqueue that could not reach Redis throws <see cref="StoreException"/> (<see cref="StoreFailure.Unavailable"/>).
/// The store does not own the multiplexer.
/// </para>
/// </remarks>
public sealed class RedisQueueStore : IQueueStore
{
    private readonly RedisStoreConnection _connection;
    private readonly string _prefix;
    private readonly RedisKey _routingKey;
    private readonly string _consumer;

    /// <summary>Creates a queue on Redis. Does no I/O: the streams and their group are created by the first enqueue.</summary>
    /// <param name="redis">The connection; shared with the other stores, not disposed by this one.</param>
    /// <param name="queueName">The queue's name; queues of one prefix are independent.</param>
    /// <param name="options">The key prefix; validated and copied. <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="queueName"/> is empty or an option is invalid.</exception>
    public RedisQueueStore(IConnectionMultiplexer redis, string queueName, RedisStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        _connection = new RedisStoreConnection(redis, options, nameof(RedisQueueStore));
        QueueName = queueName;
        _prefix = _connection.Keys.Queue(queueName);
        _routingKey = _prefix + "seq";

        // The consumer name shows in XINFO CONSUMERS: which machine and process holds an item.
        _consumer = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");
    }

    /// <summary>The queue's name.</summary>
    public string QueueName { get; }

    /// <summary>The store's name, queue and servers, as logs show it.</summary>
    /// <returns>For example <c>RedisQueueStore(orders, 127.0.0.1:6379, steadfast:)</c>.</returns>
    public override string ToString() => $"{nameof(RedisQueueStore)}({QueueName}, {_connection.Location}, {_connection.Options.KeyPrefix})";

    /// <inheritdoc />
    public async ValueTask<long?> TryEnqueueAsync(ReadOnlyMemory<byte> payload, int priority, DateTimeOffset enqueuedAt, long maxSize, CancellationToken cancellationToken = default)
        => await TryEnqueueManyAsync([payload], priority, enqueuedAt, maxSize, cancellationToken).ConfigureAwait(false) is { } ids ? ids[0] : null;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<long>?> TryEnqueueManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, int priority, DateTimeOffset enqueuedAt, long maxSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        if (payloads.Count == 0)
        {
            return [];
        }

        var args = new RedisValue[4 + payloads.Count];
        args[0] = _prefix;
        args[1] = maxSize;
        args[2] = priority;
        args[3] = Ticks(enqueuedAt);
        for (var i = 0; i < payloads.Count; i++)
        {
            args[4 + i] = payloads[i];
        }

        var result = await Run("enqueue items", RedisQueueScripts.Enqueue, args, cancellationToken).ConfigureAwait(false);
        return result.IsNull ? null : [.. ((RedisResult[])result!).Select(r => (long)r)];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<QueueLease>> TryClaimAsync(DateTimeOffset now, TimeSpan leaseDuration, int maxDeliveryAttempts, int maxCount,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var expires = now + leaseDuration;
        var token = Random.Shared.NextInt64(1, long.MaxValue);
        var result = await Run("claim items", RedisQueueScripts.Claim,
            [_prefix, Ticks(now), now.ToUnixTimeMilliseconds(), Ticks(expires), expires.ToUnixTimeMilliseconds(), maxDeliveryAttempts, maxCount, token, _consumer],
            cancellationToken).ConfigureAwait(false);
        var items = (RedisResult[])result!;
        var leases = new QueueLease[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var item = (RedisResult[])items[i]!;
            leases[i] = new QueueLease(ParseLong(item[0]), token, (byte[])item[3]!, (int)ParseLong(item[5]), (int)(long)item[1], FromTicks(item[2]), expires,
                item[4].IsNull ? null : (string?)item[4]);
        }

        return leases;
    }

    /// <inheritdoc />
    public async ValueTask<bool> RenewLeaseAsync(long itemId, long leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default)
        => (long)await Run("renew a lease", RedisQueueScripts.Renew,
            [_prefix, itemId, leaseToken, Ticks(leaseExpiresAt), leaseExpiresAt.ToUnixTimeMilliseconds()], cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask<bool> CompleteAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default)
        => (await CompleteCoreAsync([(itemId, leaseToken)], cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<QueueLease> leases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        return leases.Count == 0 ? [] : await CompleteCoreAsync([.. leases.Select(l => (l.ItemId, l.LeaseToken))], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<QueueFailureOutcome> FailAsync(long itemId, long leaseToken, string error, DateTimeOffset now, int maxDeliveryAttempts,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var outcome = (long)await Run("record a failed delivery", RedisQueueScripts.Fail, [_prefix, itemId, leaseToken, error, Ticks(now), maxDeliveryAttempts],
            cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            0 => QueueFailureOutcome.Requeued,
            1 => QueueFailureOutcome.DeadLettered,
            _ => QueueFailureOutcome.LeaseLost,
        };
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default)
        => (long)await Run("release a lease", RedisQueueScripts.Release, [_prefix, itemId, leaseToken], cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public ValueTask<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
        => _connection.RunAsync("read the queue's counts", async db =>
        {
            var batch = db.CreateBatch();
            var active = batch.StringGetAsync(_prefix + "active");
            var inFlight = batch.HashLengthAsync(_prefix + "lease");
            var completed = batch.StringGetAsync(_prefix + "completed");
            var dead = batch.StreamLengthAsync(_prefix + "dead");
            batch.Execute();
            var a = (long?)await active.ConfigureAwait(false) ?? 0;
            var f = await inFlight.ConfigureAwait(false);
            return new QueueStats(a - f, f, (long?)await completed.ConfigureAwait(false) ?? 0, await dead.ConfigureAwait(false));
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return _connection.RunAsync<IReadOnlyList<StoredDeadLetter>>("read dead letters", async db =>
        {
            var entries = await db.StreamRangeAsync(_prefix + "dead", "-", "+", maxCount).ConfigureAwait(false);
            return [.. entries.Select(e =>
            {
                var f = e.Values.ToDictionary(v => (string)v.Name!, v => v.Value, StringComparer.Ordinal);
                return new StoredDeadLetter((long)f["i"], (byte[])f["d"]!, (int)f["p"], (int)f["a"], f["e"].HasValue ? (string?)f["e"] : null,
                    FromTicks(f["t"]), FromTicks(f["dt"]));
            })];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReplayDeadLetterAsync(long itemId, CancellationToken cancellationToken = default)
        => (long)await Run("replay a dead letter", RedisQueueScripts.Replay, [_prefix, itemId], cancellationToken).ConfigureAwait(false) == 1;

    /// <inheritdoc />
    public async ValueTask<int> PurgeDeadLettersAsync(CancellationToken cancellationToken = default)
        => (int)(long)await Run("purge dead letters", RedisQueueScripts.Purge, [_prefix], cancellationToken).ConfigureAwait(false);

    /// <summary>Nothing to release: the multiplexer belongs to the caller. Present because every store is <see cref="IAsyncDisposable"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Ticks(DateTimeOffset t) => t.UtcTicks.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset FromTicks(RedisResult value) => new(ParseLong(value), TimeSpan.Zero);

    private static DateTimeOffset FromTicks(RedisValue value) => new(long.Parse((string)value!, CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static long ParseLong(RedisResult value) => long.Parse((string)value!, CultureInfo.InvariantCulture);

    private async ValueTask<bool[]> CompleteCoreAsync(IReadOnlyList<(long ItemId, long Token)> leases, CancellationToken cancellationToken)
    {
        var args = new RedisValue[1 + (2 * leases.Count)];
        args[0] = _prefix;
        for (var i = 0; i < leases.Count; i++)
        {
            args[1 + (2 * i)] = leases[i].ItemId;
            args[2 + (2 * i)] = leases[i].Token;
        }

        var result = (RedisResult[])(await Run("complete items", RedisQueueScripts.Complete, args, cancellationToken).ConfigureAwait(false))!;
        return [.. result.Select(r => (long)r == 1)];
    }

    private ValueTask<RedisResult> Run(string action, string script, RedisValue[] args, CancellationToken cancellationToken)
        => _connection.RunAsync(action, db => db.ScriptEvaluateAsync(script, [_routingKey], args), cancellationToken);
}
