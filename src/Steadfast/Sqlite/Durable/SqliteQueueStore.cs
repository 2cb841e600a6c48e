using Microsoft.Extensions.Logging;
using Steadfast.Sqlite;
using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast;

/// <summary>
/// An <see cref="IQueueStore"/> in one SQLite file (WAL): the embedded default. Claims are atomic
/// (<c>BEGIN IMMEDIATE</c> and <c>UPDATE … RETURNING</c>), so several processes can share one queue file; an enqueue
/// that returned is committed. Several named queues may live in one file.
/// </summary>
public sealed class SqliteQueueStore : IQueueStore
{
    // Item status: 0 pending, 1 in flight (leased), 2 dead-lettered.
    private const int Dead = 2;

    private readonly SqliteStoreConnection _connection;
    private readonly string _queue;
    private volatile bool _registered;

    /// <summary>Creates a queue in a SQLite file with the default settings. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="path">The file, for example <c>data/queue.db</c>; its directory is created when missing.</param>
    /// <param name="queueName">The queue's name within the file, so several queues can share one file.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="queueName"/> is empty.</exception>
    public SqliteQueueStore(string path, string queueName = "default", ILoggerFactory? loggerFactory = null)
        : this(new SqliteStoreOptions { Path = path }, queueName, loggerFactory)
    {
    }

    /// <summary>Creates a queue in a SQLite file. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="options">
    /// The file and its settings; validated and copied. <see cref="SqliteStoreOptions.Synchronous"/> =
    /// <see cref="SqliteSynchronousMode.Full"/> makes an enqueue that returned survive power loss too.
    /// </param>
    /// <param name="queueName">The queue's name within the file, so several queues can share one file.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException">An option or <paramref name="queueName"/> is invalid.</exception>
    public SqliteQueueStore(SqliteStoreOptions options, string queueName, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        _queue = queueName;
        _connection = new SqliteStoreConnection(options, SqliteSchemas.Queues, nameof(SqliteQueueStore), loggerFactory);
    }

    /// <summary>The full path of the file.</summary>
    public string Path => _connection.Path;

    /// <summary>The queue's name within the file.</summary>
    public string QueueName => _queue;

    /// <inheritdoc />
    public ValueTask<long?> TryEnqueueAsync(ReadOnlyMemory<byte> payload, int priority, DateTimeOffset enqueuedAt, long maxSize,
        CancellationToken cancellationToken = default)
    {
        var data = payload.ToArray();
        var registered = _registered;
        var write = _connection.WriteAsync<long?>("enqueue an item", core =>
        {
            Register(core, registered);
            if (core.Execute("UPDATE steadfast_queue_counters SET active = active + 1 WHERE queue = $q AND active < $max;",
                    ("$q", _queue), ("$max", maxSize)) == 0)
            {
                return null;
            }

            return Insert(core, priority, enqueuedAt, data);
        }, cancellationToken);
        return registered ? write : AfterRegistering(write);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<long>?> TryEnqueueManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, int priority, DateTimeOffset enqueuedAt,
        long maxSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var data = payloads.Select(p => p.ToArray()).ToList();
        var registered = _registered;
        var write = _connection.WriteAsync<IReadOnlyList<long>?>("enqueue items", core =>
        {
            Register(core, registered);
            if (core.Execute("UPDATE steadfast_queue_counters SET active = active + $n WHERE queue = $q AND active + $n <= $max;",
                    ("$q", _queue), ("$n", data.Count), ("$max", maxSize)) == 0)
            {
                return null;
            }

            var ids = new long[data.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = Insert(core, priority, enqueuedAt, data[i]);
            }

            return ids;
        }, cancellationToken);
        return registered ? write : AfterRegistering(write);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueueLease>> TryClaimAsync(DateTimeOffset now, TimeSpan leaseDuration, int maxDeliveryAttempts, int maxCount,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var nowTicks = Ticks(now);
        var expires = now + leaseDuration;
        var token = Random.Shared.NextInt64(1, long.MaxValue);
        return _connection.WriteAsync<IReadOnlyList<QueueLease>>("claim items", core =>
        {
            // In-flight items are few (one per busy worker), so these scans of the status = 1 range stay short.
            var dead = core.Execute("""
                UPDATE steadfast_queue_items SET status = 2, dead_lettered_at = $now, lease_token = NULL, lease_expires_at = NULL,
                    last_error = 'The lease expired on delivery ' || attempts || ' of ' || attempts
                        || ' without the item being completed (its worker probably died).' || COALESCE(' Previous error: ' || last_error, '')
                WHERE queue = $q AND status = 1 AND lease_expires_at <= $now AND attempts >= $max;
                """, ("$q", _queue), ("$now", nowTicks), ("$max", maxDeliveryAttempts));
            if (dead > 0)
            {
                core.Execute("UPDATE steadfast_queue_counters SET active = active - $n WHERE queue = $q;", ("$q", _queue), ("$n", dead));
            }

            core.Execute("""
                UPDATE steadfast_queue_items SET status = 0, lease_token = NULL, lease_expires_at = NULL
                WHERE queue = $q AND status = 1 AND lease_expires_at <= $now;
                """, ("$q", _queue), ("$now", nowTicks));

            var leases = new List<QueueLease>();
            using (var reader = core.Command("""
                UPDATE steadfast_queue_items SET status = 1, attempts = attempts + 1, lease_token = $tok, lease_expires_at = $exp
                WHERE id IN (SELECT id FROM steadfast_queue_items WHERE queue = $q AND status = 0 ORDER BY priority DESC, id LIMIT $n)
                RETURNING id, priority, attempts, enqueued_at, last_error, payload;
                """, ("$q", _queue), ("$tok", token), ("$exp", Ticks(expires)), ("$n", maxCount)).ExecuteReader())
            {
                while (reader.Read())
                {
                    leases.Add(new QueueLease(reader.GetInt64(0), token, reader.GetFieldValue<byte[]>(5), reader.GetInt32(1), reader.GetInt32(2),
                        FromTicks(reader.GetInt64(3)), expires, reader.IsDBNull(4) ? null : reader.GetString(4)));
                }
            }

            // RETURNING has no order: restore delivery order.
            leases.Sort(static (a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.ItemId.CompareTo(b.ItemId));
            return leases;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewLeaseAsync(long itemId, long leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("renew a lease", core => core.Execute("""
            UPDATE steadfast_queue_items SET lease_expires_at = $exp WHERE id = $id AND status = 1 AND lease_token = $tok;
            """, ("$id", itemId), ("$tok", leaseToken), ("$exp", Ticks(leaseExpiresAt))) == 1, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("complete an item", core => Complete(core, itemId, leaseToken), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<QueueLease> leases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        return _connection.WriteAsync<IReadOnlyList<bool>>("complete items", core => [.. leases.Select(l => Complete(core, l.ItemId, l.LeaseToken))],
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<QueueFailureOutcome> FailAsync(long itemId, long leaseToken, string error, DateTimeOffset now, int maxDeliveryAttempts,
        CancellationToken cancellationToken = default)
        => _connection.WriteAsync("record a failed delivery", core =>
        {
            var status = core.Command("""
                UPDATE steadfast_queue_items
                SET status = CASE WHEN attempts >= $max THEN 2 ELSE 0 END,
                    dead_lettered_at = CASE WHEN attempts >= $max THEN $now ELSE NULL END,
                    last_error = $err, lease_token = NULL, lease_expires_at = NULL
                WHERE id = $id AND status = 1 AND lease_token = $tok
                RETURNING status;
                """, ("$id", itemId), ("$tok", leaseToken), ("$max", maxDeliveryAttempts), ("$now", Ticks(now)), ("$err", error)).ExecuteScalar();
            if (status is null)
            {
                return QueueFailureOutcome.LeaseLost;
            }

            if ((long)status == Dead)
            {
                core.Execute("UPDATE steadfast_queue_counters SET active = active - 1 WHERE queue = $q;", ("$q", _queue));
                return QueueFailureOutcome.DeadLettered;
            }
            return QueueFailureOutcome.Requeued;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("release a lease", core => core.Execute("""
            UPDATE steadfast_queue_items SET status = 0, attempts = MAX(attempts - 1, 0), lease_token = NULL, lease_expires_at = NULL
            WHERE id = $id AND status = 1 AND lease_token = $tok;
            """, ("$id", itemId), ("$tok", leaseToken)) == 1, cancellationToken);

    /// <inheritdoc />
    public ValueTask<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
        => _connection.ReadAsync("read the queue's counts", c =>
        {
            using var command = Command(c, """
                SELECT c.active, c.completed,
                    (SELECT COUNT(*) FROM steadfast_queue_items WHERE queue = $q AND status = 1),
                    (SELECT COUNT(*) FROM steadfast_queue_items WHERE queue = $q AND status = 2)
                FROM steadfast_queue_counters c WHERE c.queue = $q;
                """, ("$q", _queue));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return default;
            }

            var inFlight = reader.GetInt64(2);
            return new QueueStats(reader.GetInt64(0) - inFlight, inFlight, reader.GetInt64(1), reader.GetInt64(3));
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken = default)
        => _connection.ReadAsync<IReadOnlyList<StoredDeadLetter>>("read dead letters", c =>
        {
            using var command = Command(c, """
                SELECT id, payload, priority, attempts, last_error, enqueued_at, dead_lettered_at FROM steadfast_queue_items
                WHERE queue = $q AND status = 2 ORDER BY dead_lettered_at, id LIMIT $n;
                """, ("$q", _queue), ("$n", maxCount));
            using var reader = command.ExecuteReader();
            var list = new List<StoredDeadLetter>();
            while (reader.Read())
            {
                list.Add(new StoredDeadLetter(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetInt32(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), FromTicks(reader.GetInt64(5)), FromTicks(reader.GetInt64(6))));
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ReplayDeadLetterAsync(long itemId, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("replay a dead letter", core =>
        {
            if (core.Execute("""
                    UPDATE steadfast_queue_items SET status = 0, attempts = 0, dead_lettered_at = NULL
                    WHERE id = $id AND queue = $q AND status = 2;
                    """, ("$id", itemId), ("$q", _queue)) == 0)
            {
                return false;
            }

            core.Execute("UPDATE steadfast_queue_counters SET active = active + 1 WHERE queue = $q;", ("$q", _queue));
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> PurgeDeadLettersAsync(CancellationToken cancellationToken = default)
        => _connection.WriteAsync("purge dead letters",
            core => core.Execute("DELETE FROM steadfast_queue_items WHERE queue = $q AND status = 2;", ("$q", _queue)), cancellationToken);

    /// <summary>Releases the file after the writes already accepted. Idempotent.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>Creates the queue's counter row, in the first enqueue's transaction (the constructor does no I/O).</summary>
    private void Register(SqliteWriter core, bool registered)
    {
        if (!registered)
        {
            core.Execute("INSERT OR IGNORE INTO steadfast_queue_counters (queue) VALUES ($q);", ("$q", _queue));
        }
    }

    /// <summary>Remembers the counter row exists once the enqueue that created it committed.</summary>
    private async ValueTask<T> AfterRegistering<T>(ValueTask<T> write)
    {
        var result = await write.ConfigureAwait(false);
        _registered = true;
        return result;
    }

    private bool Complete(SqliteWriter core, long itemId, long leaseToken)
    {
        if (core.Execute("DELETE FROM steadfast_queue_items WHERE id = $id AND status = 1 AND lease_token = $tok;",
                ("$id", itemId), ("$tok", leaseToken)) == 0)
        {
            return false;
        }

        core.Execute("UPDATE steadfast_queue_counters SET active = active - 1, completed = completed + 1 WHERE queue = $q;", ("$q", _queue));
        return true;
    }

    private long Insert(SqliteWriter core, int priority, DateTimeOffset enqueuedAt, byte[] data)
        => (long)core.Command("""
            INSERT INTO steadfast_queue_items (queue, priority, status, enqueued_at, payload) VALUES ($q, $p, 0, $t, $d) RETURNING id;
            """, ("$q", _queue), ("$p", priority), ("$t", Ticks(enqueuedAt)), ("$d", data)).ExecuteScalar()!;
}
