namespace Steadfast;

/// <summary>
/// Records failures and successes, detects failure patterns, keeps the strategy blacklist and the statistics
/// the engine ranks strategies by.
/// </summary>
/// <remarks>
/// SEAM STUB (foundation): the signatures below are the contract the engine codes against; the learning
/// issue replaces the bodies with the real analyzer (five patterns, persistence, automatic blacklist).
/// </remarks>
public sealed class FailureAnalyzer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Failure> _failures = [];
    private readonly Dictionary<(string Strategy, string Operation), BlacklistEntry> _blacklist = [];
    private readonly Dictionary<(string Strategy, string Operation), StrategyStatistics> _stats = [];
    private readonly TimeProvider _timeProvider;
    private readonly int _patternThreshold;

    /// <summary>Creates an analyzer.</summary>
    /// <param name="patternThreshold">Failures needed before a pattern is reported.</param>
    /// <param name="enablePersistence">Whether to keep what is learned in SQLite.</param>
    /// <param name="dbPath">The SQLite file when persistence is on.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public FailureAnalyzer(int patternThreshold = 3, bool enablePersistence = false, string? dbPath = null, TimeProvider? timeProvider = null)
    {
        _ = enablePersistence;
        _ = dbPath;
        _patternThreshold = patternThreshold;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Records a failure.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="operation">The operation that failed.</param>
    /// <param name="context">Context of the call; secrets are redacted before anything is kept.</param>
    /// <param name="strategy">The strategy that was running, if any.</param>
    /// <returns>The failure as recorded.</returns>
    public Failure RecordFailure(Exception exception, string operation, IReadOnlyDictionary<string, object?>? context = null, string? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        var now = _timeProvider.GetUtcNow();
        var failure = new Failure
        {
            Timestamp = now,
            Operation = operation,
            Strategy = strategy,
            ErrorType = exception.GetType().Name,
            ErrorMessage = exception.Message,
            Category = ErrorClassifier.Classify(exception),
            Context = context?.ToDictionary(p => p.Key, p => p.Value?.ToString()) ?? Failure.EmptyContext,
        };
        lock (_lock)
        {
            _failures.Add(failure);
            if (strategy is not null)
            {
                var s = GetStats_NeedsLock(strategy, operation);
                _stats[(strategy, operation)] = s with { Failures = s.Failures + 1, LastFailureAt = now };
            }
        }

        return failure;
    }

    /// <summary>Records a success.</summary>
    /// <param name="operation">The operation that succeeded.</param>
    /// <param name="strategy">The strategy that succeeded, if any.</param>
    /// <param name="duration">How long the successful attempt took, if known.</param>
    public void RecordSuccess(string operation, string? strategy = null, TimeSpan? duration = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        if (strategy is null)
        {
            return;
        }

        lock (_lock)
        {
            var s = GetStats_NeedsLock(strategy, operation);
            var successes = s.Successes + 1;
            var mean = duration is { } d ? TimeSpan.FromTicks(((s.MeanLatency.Ticks * s.Successes) + d.Ticks) / successes) : s.MeanLatency;
            _stats[(strategy, operation)] = s with { Successes = successes, MeanLatency = mean, LastSuccessAt = _timeProvider.GetUtcNow() };
        }
    }

    /// <summary>Analyses the recent failures of an operation.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The analysis.</returns>
    public FailureAnalysis AnalyzePattern(string operation)
    {
        List<Failure> recent;
        lock (_lock)
        {
            recent = _failures.FindAll(f => f.Operation == operation);
        }

        if (recent.Count < _patternThreshold)
        {
            return FailureAnalysis.Empty with { FailureCount = recent.Count };
        }

        var top = recent.GroupBy(f => f.ErrorType).MaxBy(g => g.Count())!;
        var repeating = top.Count() >= _patternThreshold;
        return new FailureAnalysis
        {
            Pattern = repeating ? FailurePattern.Repeating : FailurePattern.None,
            RootCause = new RootCause(top.First().Category, $"{top.Key} occurred {top.Count()} times."),
            Recommendations = repeating ? [$"'{operation}' keeps failing with {top.Key}; try an alternative approach."] : [],
            Confidence = repeating ? 0.5 : 0,
            FailureCount = recent.Count,
        };
    }

    /// <summary>Whether a strategy is blacklisted for an operation; served from memory.</summary>
    /// <param name="strategyName">The strategy.</param>
    /// <param name="operation">The operation.</param>
    /// <returns><see langword="true"/> when blacklisted and not expired.</returns>
    public bool IsStrategyBlacklisted(string strategyName, string operation) => GetBlacklistEntry(strategyName, operation) is not null;

    /// <summary>The blacklist entry of a strategy for an operation, when it has one that has not expired.</summary>
    /// <param name="strategyName">The strategy.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public BlacklistEntry? GetBlacklistEntry(string strategyName, string operation)
    {
        lock (_lock)
        {
            return _blacklist.TryGetValue((strategyName, operation), out var e) && (e.ExpiresAt is null || e.ExpiresAt > _timeProvider.GetUtcNow()) ? e : null;
        }
    }

    /// <summary>Blacklists a strategy for an operation.</summary>
    /// <param name="strategyName">The strategy.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="reason">Why.</param>
    /// <param name="expiresAfter">How long the entry lasts; until removed when null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    public Task AddToBlacklistAsync(string strategyName, string operation, string reason, TimeSpan? expiresAfter = null, CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            _blacklist[(strategyName, operation)] = new BlacklistEntry
            {
                StrategyName = strategyName, Operation = operation, Reason = reason, AddedAt = now, ExpiresAt = now + expiresAfter,
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>The statistics of a strategy for an operation.</summary>
    /// <param name="strategyName">The strategy.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The statistics; zeros when nothing is known.</returns>
    public StrategyStatistics GetStrategyStatistics(string strategyName, string operation)
    {
        lock (_lock)
        {
            return GetStats_NeedsLock(strategyName, operation);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private StrategyStatistics GetStats_NeedsLock(string strategy, string operation) =>
        _stats.TryGetValue((strategy, operation), out var s) ? s : new StrategyStatistics { StrategyName = strategy, Operation = operation };
}
