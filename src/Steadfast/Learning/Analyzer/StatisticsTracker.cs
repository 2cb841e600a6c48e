using System.Runtime.InteropServices;

namespace Steadfast;

/// <summary>
/// The strategy statistics: running totals per (strategy, operation) that the engine ranks by, and, when the store
/// keeps statistics, the increments not yet written. Increments wait until the flush timer, the threshold or any
/// other write takes them, so a stream of successes costs one store write per interval. Not thread-safe: the
/// <c>_NeedsLock</c> members run under the <see cref="LearningState"/> lock; the timer is safe to arm without it.
/// </summary>
internal sealed class StatisticsTracker : IAsyncDisposable
{
    private readonly Dictionary<(string Strategy, string Operation), StatisticsCell> _cells = [];
    private readonly Dictionary<(string Strategy, string Operation), StatisticsCell> _pending = [];
    private readonly FailureAnalyzerOptions _options;
    private readonly RecencyDecay _decay;
    private readonly bool _persists;
    private readonly ITimer _timer;
    private int _increments;
    private bool _timerArmed;
    private bool _writeQueued;

    /// <param name="options">The analyzer's options (flush interval and threshold).</param>
    /// <param name="persists">Whether the store keeps statistics; without it no increments are kept for writing.</param>
    /// <param name="timeProvider">The clock of the flush timer.</param>
    /// <param name="requestWrite">Asks the background writer for a statistics write (from the timer).</param>
    public StatisticsTracker(FailureAnalyzerOptions options, bool persists, TimeProvider timeProvider, Action requestWrite)
    {
        _options = options;
        _decay = new RecencyDecay(options);
        _persists = persists;
        _timer = timeProvider.CreateTimer(static a => ((Action)a!)(), requestWrite, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public StatisticsNudge RecordSuccess_NeedsLock(OperationState state, (string Strategy, string Operation) key, DateTimeOffset now, TimeSpan? duration)
    {
        var cell = CellOf_NeedsLock(state, key);
        cell.AddSuccess(now, duration);
        cell.Recent.AddSuccess(now, duration, _decay);
        if (PendingCell_NeedsLock(cell, key) is not { } pending)
        {
            return StatisticsNudge.None;
        }

        pending.AddSuccess(now, duration);
        return CountIncrement_NeedsLock();
    }

    /// <summary>
    /// Forgets the recent failures of a strategy that has just recovered (its automatic blacklist entry was lifted by a
    /// success): they described the outage that is over, and would keep the recovered strategy ranked below the ones that
    /// stood in for it, so it would never get the calls that show it works again. Its cumulative counts stay.
    /// </summary>
    public void ForgetRecentFailures_NeedsLock((string Strategy, string Operation) key)
    {
        if (_cells.TryGetValue(key, out var cell))
        {
            cell.Recent.Failures = 0;
        }
    }

    /// <summary>Counts a failure. It asks for no write of its own: the failure's write item wakes the writer, which takes the increments too.</summary>
    public void RecordFailure_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now)
    {
        var cell = Cell(_cells, key);
        cell.AddFailure(now);
        cell.Recent.AddFailure(now, _decay);
        if (PendingCell_NeedsLock(cell, key) is { } pending)
        {
            pending.AddFailure(now);
            _increments++;
        }
    }

    public StrategyStatistics Get_NeedsLock(string strategy, string operation, DateTimeOffset now) =>
        _cells.TryGetValue((strategy, operation), out var s) ? s.ToStatistics(strategy, operation, _decay, now) : new StrategyStatistics { StrategyName = strategy, Operation = operation };

    public IReadOnlyList<StrategyStatistics> All_NeedsLock(string? operation, DateTimeOffset now) =>
        [.. _cells.Where(p => operation is null || p.Key.Operation == operation).Select(p => p.Value.ToStatistics(p.Key.Strategy, p.Key.Operation, _decay, now))
            .OrderByDescending(s => s.SuccessRate).ThenBy(s => s.StrategyName, StringComparer.Ordinal).ThenBy(s => s.Operation, StringComparer.Ordinal)];

    public long Failures_NeedsLock((string Strategy, string Operation) key) => _cells.TryGetValue(key, out var cell) ? cell.Failures : 0;

    public DateTimeOffset? LastSuccessAt_NeedsLock((string Strategy, string Operation) key) => _cells.TryGetValue(key, out var cell) ? cell.LastSuccessAt : null;

    /// <summary>Forgets every total and pending increment. The caller drops the operation states too, whose caches point at the cells.</summary>
    public void Clear_NeedsLock()
    {
        _cells.Clear();
        _pending.Clear();
        _increments = 0;
    }

    /// <summary>
    /// Adds totals read from the store underneath this process's (which are only ever increments on top of them); their
    /// recent evidence goes underneath too, aged as <see cref="RecentEvidence.AddUnderneath"/> says. Runs once, at the load.
    /// </summary>
    public void AddLoaded_NeedsLock(IEnumerable<StrategyStatistics> loaded, DateTimeOffset now)
    {
        foreach (var s in loaded)
        {
            var cell = Cell(_cells, (s.StrategyName, s.Operation));
            cell.Recent.AddUnderneath(s, cell.Successes + cell.Failures, now, _decay);
            cell.Add(s);
        }
    }

    /// <summary>Takes the pending increments for a write; null when there are none.</summary>
    public List<StrategyStatistics>? TakeIncrements_NeedsLock()
    {
        List<StrategyStatistics>? increments = null;

        // The cells stay (zeroed) so the next increments of the same keys allocate nothing.
        foreach (var (key, pending) in _pending)
        {
            if (!pending.IsEmpty)
            {
                (increments ??= []).Add(pending.ToStatistics(key.Strategy, key.Operation));
                pending.Reset();
            }
        }

        _increments = 0;
        _timerArmed = false;
        _writeQueued = false;
        return increments;
    }

    /// <summary>Puts increments whose write failed back under whatever arrived meanwhile, so nothing is counted twice or lost.</summary>
    public void PutBack_NeedsLock(List<StrategyStatistics> increments)
    {
        foreach (var inc in increments)
        {
            Cell(_pending, (inc.StrategyName, inc.Operation)).Add(inc);
            _increments += (int)Math.Min(int.MaxValue - _increments, inc.Attempts);
        }
    }

    public void ArmTimer()
    {
        try
        {
            _timer.Change(_options.StatisticsFlushInterval, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Recorded after DisposeAsync: kept in memory only, as every write after disposal.
        }
    }

    public ValueTask DisposeAsync() => _timer.DisposeAsync();

    /// <summary>
    /// The totals cell of (strategy, operation) through the operation's one-entry cache: callers (the engine) pass the
    /// same strategy string instance call after call, so a reference check replaces hashing both names again.
    /// Cells leave <see cref="_cells"/> only in <see cref="Clear_NeedsLock"/>, which the caller pairs with dropping the operation states.
    /// </summary>
    private StatisticsCell CellOf_NeedsLock(OperationState state, (string Strategy, string Operation) key)
    {
        if (ReferenceEquals(state.LastStrategy, key.Strategy) && state.LastCell is { } cached)
        {
            return cached;
        }

        var cell = Cell(_cells, key);
        state.LastStrategy = key.Strategy;
        state.LastCell = cell;
        return cell;
    }

    /// <summary>The pending-increments cell of a key, linked from its totals cell; null when the store keeps no statistics.</summary>
    private StatisticsCell? PendingCell_NeedsLock(StatisticsCell cell, (string Strategy, string Operation) key) =>
        _persists ? cell.Pending ??= Cell(_pending, key) : null;

    /// <summary>Counts one pending increment and says what should wake the writer.</summary>
    private StatisticsNudge CountIncrement_NeedsLock()
    {
        if (++_increments >= _options.StatisticsFlushThreshold)
        {
            if (_writeQueued)
            {
                return StatisticsNudge.None;
            }

            _writeQueued = true;
            return StatisticsNudge.WriteNow;
        }

        if (_timerArmed)
        {
            return StatisticsNudge.None;
        }

        _timerArmed = true;
        return StatisticsNudge.ArmTimer;
    }

    private static StatisticsCell Cell(Dictionary<(string Strategy, string Operation), StatisticsCell> cells, (string Strategy, string Operation) key)
    {
        ref var cell = ref CollectionsMarshal.GetValueRefOrAddDefault(cells, key, out _);
        return cell ??= new StatisticsCell();
    }
}
