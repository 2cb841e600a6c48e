namespace Steadfast;

/// <summary>
/// An <see cref="IFailureStore"/> and <see cref="IStrategyStatisticsStore"/> in memory: the analyzer's default
/// without persistence, and a reference for the contract tests. Forgets everything when the process ends.
/// </summary>
public sealed class InMemoryFailureStore : IFailureStore, IStrategyStatisticsStore
{
    /// <summary>The default <see cref="Capacity"/>.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Lock _lock = new();
    private readonly LinkedList<Failure> _failures = new();
    private readonly Dictionary<(string Strategy, string Operation), BlacklistEntry> _blacklist = [];
    private readonly Dictionary<(string Strategy, string Operation), StatisticsCell> _stats = [];
    private readonly TimeProvider _timeProvider;
    private long _nextId;

    /// <summary>Creates an empty store.</summary>
    /// <param name="capacity">Failures kept at most; the oldest are forgotten beyond it (1 or more).</param>
    /// <param name="timeProvider">The clock for expiry and retention; <see cref="TimeProvider.System"/> when null.</param>
    public InMemoryFailureStore(int capacity = DefaultCapacity, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Failures kept at most; the oldest are forgotten beyond it.</summary>
    public int Capacity { get; }

    /// <inheritdoc />
    public ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(Add_NeedsLock(failure));
        }
    }

    /// <inheritdoc />
    public ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failures);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var f in failures)
            {
                Add_NeedsLock(f);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new List<Failure>();
        lock (_lock)
        {
            // Newest first: ids grow with insertion; sort by time so failures saved out of order still come back right.
            foreach (var f in _failures.OrderByDescending(f => f.Timestamp).ThenByDescending(f => f.Id))
            {
                if ((operation is null || f.Operation == operation) && (errorType is null || f.ErrorType == errorType) && (since is null || f.Timestamp >= since))
                {
                    result.Add(f);
                    if (result.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<Failure>>(result);
    }

    /// <inheritdoc />
    public ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default)
    {
        FailureRetention.ThrowIfOutOfRange(days);
        cancellationToken.ThrowIfCancellationRequested();
        var cutoff = _timeProvider.GetUtcNow() - TimeSpan.FromDays(days);
        var deleted = 0;
        lock (_lock)
        {
            for (var node = _failures.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Timestamp < cutoff)
                {
                    _failures.Remove(node);
                    deleted++;
                }

                node = next;
            }
        }

        return ValueTask.FromResult(deleted);
    }

    /// <inheritdoc />
    public ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _blacklist[(entry.StrategyName, entry.Operation)] = entry;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_blacklist.TryGetValue((strategyName, operation), out var e) && e.IsActiveAt(_timeProvider.GetUtcNow()));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_blacklist.Remove((strategyName, operation)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<BlacklistEntry>>(
                [.. _blacklist.Values.Where(e => includeExpired || e.IsActiveAt(now)).OrderBy(e => e.AddedAt)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        var builder = new FailureAnalyticsBuilder();
        int blacklisted;
        lock (_lock)
        {
            foreach (var f in _failures)
            {
                builder.Add(FailureAnalyticsBuilder.DayNumber(f.Timestamp), f.Operation, f.ErrorType, 1);
            }

            blacklisted = _blacklist.Values.Count(e => e.IsActiveAt(now));
        }

        return ValueTask.FromResult(builder.Build(now, blacklisted));
    }

    /// <inheritdoc />
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _failures.Clear();
            _blacklist.Clear();
            _stats.Clear();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(increments);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var inc in increments)
            {
                var key = (inc.StrategyName, inc.Operation);
                if (!_stats.TryGetValue(key, out var cell))
                {
                    cell = new StatisticsCell();
                    _stats[key] = cell;
                }

                cell.Add(inc);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<StrategyStatistics>>([.. _stats.Select(p => p.Value.ToStatistics(p.Key.Strategy, p.Key.Operation))]);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private long Add_NeedsLock(Failure failure)
    {
        var id = ++_nextId;
        _failures.AddLast(failure with { Id = id });
        while (_failures.Count > Capacity)
        {
            _failures.RemoveFirst();
        }

        return id;
    }
}
