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
    private readonly HashSet<long> _inFlight = [];
    private long _nextId;
    private long _completed;
    private long _dead;

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
    public ValueTask<IReadOnlyList<long>?> TryEnqueueManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> payloads, int priority, DateTimeOffset enqueuedAt,
        long maxSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (ActiveCount_NeedsLock() + payloads.Count > maxSize)
            {
                return ValueTask.FromResult<IReadOnlyList<long>?>(null);
            }

            var ids = new long[payloads.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                var id = ids[i] = ++_nextId;
                _items[id] = new Entry(id, payloads[i].ToArray(), priority, enqueuedAt);
                _pending.Add((-priority, id));
            }

            return ValueTask.FromResult<IReadOnlyList<long>?>(ids);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueueLease>> TryClaimAsync(DateTimeOffset now, TimeSpan leaseDuration, int maxDeliveryAttempts, int maxCount,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var expired in _inFlight.Count == 0 ? [] : _inFlight.Select(id => _items[id]).Where(e => e.LeaseExpiresAt <= now).ToList())
            {
                expired.LeaseToken = 0;
                _inFlight.Remove(expired.Id);
                if (expired.Attempts >= maxDeliveryAttempts)
                {
                    expired.State = ItemState.Dead;
                    expired.DeadLetteredAt = now;
                    expired.LastError = QueueStoreText.LeaseExpired(expired.Attempts, expired.LastError);
                    _dead++;
                }
                else
                {
                    expired.State = ItemState.Pending;
                    _pending.Add((-expired.Priority, expired.Id));
                }
            }

            var leases = new List<QueueLease>(Math.Min(maxCount, _pending.Count));
            while (leases.Count < maxCount && _pending.Count > 0)
            {
                var next = _pending.Min;
                _pending.Remove(next);
                var entry = _items[next.Id];
                entry.State = ItemState.InFlight;
                _inFlight.Add(entry.Id);
                entry.Attempts++;
                entry.LeaseToken = Random.Shared.NextInt64(1, long.MaxValue);
                entry.LeaseExpiresAt = now + leaseDuration;
                leases.Add(new QueueLease(entry.Id, entry.LeaseToken, entry.Payload, entry.Priority,
                    entry.Attempts, entry.EnqueuedAt, entry.LeaseExpiresAt, entry.LastError));
            }

            return ValueTask.FromResult<IReadOnlyList<QueueLease>>(leases);
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
            return ValueTask.FromResult(Complete_NeedsLock(itemId, leaseToken));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<QueueLease> leases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var results = new bool[leases.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = Complete_NeedsLock(leases[i].ItemId, leases[i].LeaseToken);
            }

            return ValueTask.FromResult<IReadOnlyList<bool>>(results);
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
            _inFlight.Remove(itemId);
            if (entry.Attempts >= maxDeliveryAttempts)
            {
                entry.State = ItemState.Dead;
                entry.DeadLetteredAt = now;
                _dead++;
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
            _inFlight.Remove(itemId);
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
            return ValueTask.FromResult(new QueueStats(_pending.Count, _inFlight.Count, _completed, _dead));
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
            _dead--;
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
            _dead = 0;
            return ValueTask.FromResult(dead.Count);
        }
    }

    private bool Complete_NeedsLock(long itemId, long leaseToken)
    {
        if (Leased_NeedsLock(itemId, leaseToken) is null)
        {
            return false;
        }

        _items.Remove(itemId);
        _inFlight.Remove(itemId);
        _completed++;
        return true;
    }

    private long ActiveCount_NeedsLock() => _items.Count - _dead;

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

    /// <summary>Nothing to release: the data lives as long as the store. Present because every store is <see cref="IAsyncDisposable"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
