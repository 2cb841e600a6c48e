namespace Steadfast;

/// <summary>
/// An <see cref="IQueueStore"/> in process memory: for tests, and for queues that need leases, retries and dead
/// letters but not crash safety. Nothing survives the process.
/// </summary>
public sealed class InMemoryQueueStore : IQueueStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Entry> _items = [];
    private readonly SortedSet<(int NegativePriority, long Id)> _pending = [];
    private long _nextId;
    private long _completed;

    /// <inheritdoc />
    public ValueTask<long?> TryEnqueueAsync(ReadOnlyMemory<byte> payload, int priority, DateTimeOffset enqueuedAt, long maxSize,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (ActiveCount_NeedsLock() >= maxSize)
            {
                return ValueTask.FromResult<long?>(null);
            }

            var id = ++_nextId;
            _items[id] = new Entry(id, payload.ToArray(), priority, enqueuedAt);
            _pending.Add((-priority, id));
            return ValueTask.FromResult<long?>(id);
        }
    }

    /// <inheritdoc />
    public ValueTask<QueueLease?> TryClaimAsync(DateTimeOffset now, TimeSpan leaseDuration, int maxDeliveryAttempts,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var expired in _items.Values.Where(e => e.State == ItemState.InFlight && e.LeaseExpiresAt <= now).ToList())
            {
                expired.LeaseToken = 0;
                if (expired.Attempts >= maxDeliveryAttempts)
                {
                    expired.State = ItemState.Dead;
                    expired.DeadLetteredAt = now;
                    expired.LastError = QueueStoreText.LeaseExpired(expired.Attempts, expired.LastError);
                }
                else
                {
                    expired.State = ItemState.Pending;
                    _pending.Add((-expired.Priority, expired.Id));
                }
            }

            if (_pending.Count == 0)
            {
                return ValueTask.FromResult<QueueLease?>(null);
            }

            var next = _pending.Min;
            _pending.Remove(next);
            var entry = _items[next.Id];
            entry.State = ItemState.InFlight;
            entry.Attempts++;
            entry.LeaseToken = Random.Shared.NextInt64(1, long.MaxValue);
            entry.LeaseExpiresAt = now + leaseDuration;
            return ValueTask.FromResult<QueueLease?>(new QueueLease(entry.Id, entry.LeaseToken, entry.Payload, entry.Priority,
                entry.Attempts, entry.EnqueuedAt, entry.LeaseExpiresAt, entry.LastError));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewLeaseAsync(long itemId, long leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var entry = Leased_NeedsLock(itemId, leaseToken);
            if (entry is not null)
            {
                entry.LeaseExpiresAt = leaseExpiresAt;
            }

            return ValueTask.FromResult(entry is not null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (Leased_NeedsLock(itemId, leaseToken) is null)
            {
                return ValueTask.FromResult(false);
            }

            _items.Remove(itemId);
            _completed++;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<QueueFailureOutcome> FailAsync(long itemId, long leaseToken, string error, DateTimeOffset now, int maxDeliveryAttempts,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var entry = Leased_NeedsLock(itemId, leaseToken);
            if (entry is null)
            {
                return ValueTask.FromResult(QueueFailureOutcome.LeaseLost);
            }

            entry.LastError = error;
            entry.LeaseToken = 0;
            if (entry.Attempts >= maxDeliveryAttempts)
            {
                entry.State = ItemState.Dead;
                entry.DeadLetteredAt = now;
                return ValueTask.FromResult(QueueFailureOutcome.DeadLettered);
            }

            entry.State = ItemState.Pending;
            _pending.Add((-entry.Priority, entry.Id));
            return ValueTask.FromResult(QueueFailureOutcome.Requeued);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(long itemId, long leaseToken, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var entry = Leased_NeedsLock(itemId, leaseToken);
            if (entry is null)
            {
                return ValueTask.FromResult(false);
            }

            entry.Attempts = Math.Max(0, entry.Attempts - 1);
            entry.LeaseToken = 0;
            entry.State = ItemState.Pending;
            _pending.Add((-entry.Priority, entry.Id));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<QueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            long inFlight = 0, dead = 0;
            foreach (var entry in _items.Values)
            {
                inFlight += entry.State == ItemState.InFlight ? 1 : 0;
                dead += entry.State == ItemState.Dead ? 1 : 0;
            }

            return ValueTask.FromResult(new QueueStats(_pending.Count, inFlight, _completed, dead));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredDeadLetter>> GetDeadLettersAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<StoredDeadLetter> dead = [.. _items.Values
                .Where(e => e.State == ItemState.Dead)
                .OrderBy(e => e.DeadLetteredAt).ThenBy(e => e.Id)
                .Take(maxCount)
                .Select(e => new StoredDeadLetter(e.Id, e.Payload, e.Priority, e.Attempts, e.LastError, e.EnqueuedAt, e.DeadLetteredAt))];
            return ValueTask.FromResult(dead);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReplayDeadLetterAsync(long itemId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_items.TryGetValue(itemId, out var entry) || entry.State != ItemState.Dead)
            {
                return ValueTask.FromResult(false);
            }

            entry.State = ItemState.Pending;
            entry.Attempts = 0;
            _pending.Add((-entry.Priority, entry.Id));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var dead = _items.Values.Where(e => e.State == ItemState.Dead).Select(e => e.Id).ToList();
            dead.ForEach(id => _items.Remove(id));
            return ValueTask.FromResult(dead.Count);
        }
    }

    private long ActiveCount_NeedsLock() => _items.Values.Count(e => e.State != ItemState.Dead);

    private Entry? Leased_NeedsLock(long itemId, long leaseToken)
        => _items.TryGetValue(itemId, out var entry) && entry.State == ItemState.InFlight && entry.LeaseToken == leaseToken ? entry : null;

    private enum ItemState
    {
        Pending,
        InFlight,
        Dead,
    }

    private sealed class Entry(long id, byte[] payload, int priority, DateTimeOffset enqueuedAt)
    {
        public long Id { get; } = id;

        public byte[] Payload { get; } = payload;

        public int Priority { get; } = priority;

        public DateTimeOffset EnqueuedAt { get; } = enqueuedAt;

        public ItemState State { get; set; }

        public int Attempts { get; set; }

        public long LeaseToken { get; set; }

        public DateTimeOffset LeaseExpiresAt { get; set; }

        public string? LastError { get; set; }

        public DateTimeOffset DeadLetteredAt { get; set; }
    }
}
