using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Records failures and successes, detects the five failure patterns, names root causes, recommends actions,
/// blacklists strategies that keep failing and keeps the statistics the engine ranks strategies by — and, with
/// persistence, keeps all of it across restarts.
/// </summary>
/// <remarks>
/// <para>
/// Recording never blocks on storage: a failure goes to memory at once and to the <see cref="IFailureStore"/>
/// through a background writer that puts up to <see cref="FailureAnalyzerOptions.WriteBatchSize"/> failures in
/// one transaction. <see cref="DisposeAsync"/> flushes it. If the store is unreachable, locked, read-only or
/// corrupt the analyzer keeps working in memory, logs one error naming the store, reports
/// <see cref="PersistenceHealthy"/> as <see langword="false"/> and tries again every
/// <see cref="FailureAnalyzerOptions.PersistenceRetryInterval"/>; no call ever fails because of the store.
/// </para>
/// <para>
/// At construction the analyzer reads the blacklist, the strategy statistics and the recent failures from the
/// store (a few milliseconds with SQLite), so a restarted process starts with what the previous one learned.
/// Operation and strategy names are case-sensitive. Patterns are defined in docs/learning.md.
/// </para>
/// </remarks>
public sealed class FailureAnalyzer : IAsyncDisposable
{
    private static readonly Counter<long> FailuresRecorded = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.failures", unit: "{failure}", description: "Failures recorded by the failure analyzer.");

    private static readonly Counter<long> FailuresDropped = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.failures.dropped", unit: "{failure}", description: "Failures kept in memory but not persisted because the write buffer was full.");

    private static readonly Counter<long> StrategiesBlacklisted = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.blacklist.additions", unit: "{entry}", description: "Strategies added to the blacklist.");

    private static readonly Counter<long> StoreErrors = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.store.errors", unit: "{error}", description: "Failed attempts to use the failure store.");

    private readonly Lock _lock = new();
    private readonly FailureAnalyzerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IFailureStore _store;
    private readonly IStrategyStatisticsStore? _statisticsStore;
    private readonly bool _ownsStore;
    private readonly string _storeName;

    // Learning state, guarded by _lock.
    private readonly Dictionary<string, OperationState> _operations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Strategy, string Operation), BlacklistEntry> _blacklist = [];
    private readonly Dictionary<(string Strategy, string Operation), StatisticsCell> _statistics = [];
    private readonly Dictionary<(string Strategy, string Operation), StatisticsCell> _statisticsPending = [];
    private readonly Dictionary<(string Strategy, string Operation), Queue<DateTimeOffset>> _streaks = [];

    // Background writer.
    private readonly Channel<WriteItem> _channel = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<WriteItem> _pending = [];
    private readonly Task _writer;
    private readonly ITimer _cleanupTimer;

    // Statistics coalescing, guarded by _lock: increments wait in _statisticsPending until the flush timer, the
    // threshold or any other write takes them, so a stream of successes costs one store write per interval.
    private readonly ITimer _statisticsTimer;
    private int _statisticsIncrements;
    private bool _statisticsTimerArmed;
    private bool _statisticsWriteQueued;
    private int _pendingFailures;
    private long _dropped;
    private int _droppingLogged;
    private int _unhealthy;
    private long _nextRetryAtTicks;
    private bool _needsLoad;
    private int _disposed;

    /// <summary>Creates an analyzer; with <paramref name="enablePersistence"/> it keeps what it learns in a SQLite file.</summary>
    /// <param name="patternThreshold">Failures needed before a pattern is reported (N in docs/learning.md; 1 to 1000).</param>
    /// <param name="enablePersistence">Whether to keep failures, blacklist and statistics in SQLite.</param>
    /// <param name="dbPath">The SQLite file when persistence is on; <c>data/failures.db</c> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the analyzer and the store log; nothing is logged when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patternThreshold"/> is out of range.</exception>
    public FailureAnalyzer(int patternThreshold = FailureAnalyzerConstants.DefaultPatternThreshold, bool enablePersistence = false, string? dbPath = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(new FailureAnalyzerOptions { PatternThreshold = patternThreshold }, enablePersistence, dbPath, timeProvider, loggerFactory)
    {
    }

    /// <summary>Creates an analyzer with options; with <paramref name="enablePersistence"/> it keeps what it learns in a SQLite file.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="enablePersistence">Whether to keep failures, blacklist and statistics in SQLite.</param>
    /// <param name="dbPath">The SQLite file when persistence is on; <c>data/failures.db</c> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the analyzer and the store log; nothing is logged when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FailureAnalyzer(FailureAnalyzerOptions options, bool enablePersistence = false, string? dbPath = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(
            enablePersistence
                ? new SqliteFailureStore(dbPath ?? FailureAnalyzerConstants.DefaultDatabasePath, timeProvider, loggerFactory)
                : new InMemoryFailureStore(timeProvider: timeProvider),
            ownsStore: true,
            options,
            timeProvider,
            loggerFactory)
    {
    }

    /// <summary>Creates an analyzer over a store the caller owns (and disposes).</summary>
    /// <param name="store">Where failures, blacklist and (when it implements <see cref="IStrategyStatisticsStore"/>) statistics are kept.</param>
    /// <param name="options">The options; defaults when null; validated here.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the analyzer logs; nothing is logged when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FailureAnalyzer(IFailureStore store, FailureAnalyzerOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(store ?? throw new ArgumentNullException(nameof(store)), ownsStore: false, options, timeProvider, loggerFactory)
    {
    }

    private FailureAnalyzer(IFailureStore store, bool ownsStore, FailureAnalyzerOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
    {
        options ??= new FailureAnalyzerOptions();
        options.Validate();
        _options = options.Clone();
        _store = store;
        _statisticsStore = store as IStrategyStatisticsStore;
        _ownsStore = ownsStore;
        _storeName = store.ToString() ?? store.GetType().Name;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger<FailureAnalyzer>() ?? NullLogger<FailureAnalyzer>.Instance;

        // The store is read once here so the first IsStrategyBlacklisted already knows the previous run's blacklist.
        // Task.Run keeps a store that completes asynchronously from deadlocking on a caller's synchronisation context.
        _needsLoad = !Task.Run(() => TryLoadAsync(CancellationToken.None)).GetAwaiter().GetResult();
        _writer = Task.Run(RunWriterAsync);
        Enqueue(new WriteItem(WriteKind.Cleanup));
        _cleanupTimer = _timeProvider.CreateTimer(_ => Enqueue(new WriteItem(WriteKind.Cleanup)), null, _options.CleanupInterval, _options.CleanupInterval);
        _statisticsTimer = _timeProvider.CreateTimer(static a => ((FailureAnalyzer)a!).Enqueue(new WriteItem(WriteKind.Statistics)), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The options in force (a copy; changing it has no effect).</summary>
    public FailureAnalyzerOptions Options => _options.Clone();

    /// <summary>The store failures and the blacklist are kept in.</summary>
    public IFailureStore Store => _store;

    /// <summary>
    /// Whether the store is working. <see langword="false"/> after a failed attempt until a later attempt succeeds;
    /// meanwhile everything works in memory and pending writes wait (up to <see cref="FailureAnalyzerOptions.WriteBufferCapacity"/>).
    /// </summary>
    public bool PersistenceHealthy => Volatile.Read(ref _unhealthy) == 0;

    /// <summary>Failures kept in memory but never persisted because the write buffer was full.</summary>
    public long DroppedFailures => Interlocked.Read(ref _dropped);

    /// <summary>Records a failure: classified, secrets redacted, kept in memory at once and written to the store in the background.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="operation">The operation that failed (case-sensitive).</param>
    /// <param name="context">Context of the call; values under secret-looking keys are redacted before anything is kept.</param>
    /// <param name="strategy">The strategy that was running, if any; counts toward its statistics and automatic blacklisting.</param>
    /// <returns>The failure as recorded (its <see cref="Failure.Id"/> is 0: the store assigns it later).</returns>
    public Failure RecordFailure(Exception exception, string operation, IReadOnlyDictionary<string, object?>? context = null, string? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        var now = _timeProvider.GetUtcNow();
        var error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        var failure = new Failure
        {
            Timestamp = now,
            Operation = operation,
            Strategy = strategy,
            ErrorType = error.GetType().Name,
            ErrorMessage = SecretRedactor.RedactText(error.Message),
            Category = ErrorClassifier.Classify(exception),
            StatusCode = ErrorClassifier.TryGetStatusCode(exception, out var code) ? code : null,
            Context = SecretRedactor.RedactContext(context),
        };

        BlacklistEntry? blacklisted = null;
        lock (_lock)
        {
            AddFailure_NeedsLock(failure);
            if (strategy is not null)
            {
                var key = (strategy, operation);
                var cell = Cell(_statistics, key);
                cell.AddFailure(now);
                if (PendingCell_NeedsLock(cell, key) is { } pending)
                {
                    // No nudge: the failure's own write item wakes the writer, which writes the statistics too.
                    pending.AddFailure(now);
                    _statisticsIncrements++;
                }

                blacklisted = TrackStreak_NeedsLock(strategy, operation, failure);
            }
        }

        FailuresRecorded.Add(1);
        EnqueueFailure(failure);
        if (blacklisted is not null)
        {
            Enqueue(new WriteItem(WriteKind.BlacklistUpsert) { Entry = blacklisted });
            StrategiesBlacklisted.Add(1);
            Log.StrategyBlacklisted(_logger, blacklisted.StrategyName, blacklisted.Operation, blacklisted.ExpiresAt, blacklisted.Reason);
        }

        return failure;
    }

    /// <summary>Records a success; successes break failure streaks, count for the intermittent pattern and rank strategies.</summary>
    /// <param name="operation">The operation that succeeded (case-sensitive).</param>
    /// <param name="strategy">The strategy that succeeded, if any. A success lifts its automatic blacklist entry and resets the growing expiry.</param>
    /// <param name="duration">How long the successful attempt took, if known.</param>
    public void RecordSuccess(string operation, string? strategy = null, TimeSpan? duration = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        var now = _timeProvider.GetUtcNow();
        BlacklistEntry? lifted = null;
        var nudge = StatisticsNudge.None;
        lock (_lock)
        {
            var state = GetOperation_NeedsLock(operation);
            state.AddOutcome(new RecordedOutcome(now, null), _options.OutcomeHistorySize);
            if (state.TrailingRun.Count != 0)
            {
                state.TrailingRun.Clear();
            }

            if (strategy is not null)
            {
                var key = (strategy, operation);
                var cell = StatisticsCellOf_NeedsLock(state, key);
                cell.AddSuccess(now, duration);
                if (PendingCell_NeedsLock(cell, key) is { } pending)
                {
                    pending.AddSuccess(now, duration);
                    nudge = CountStatisticsIncrement_NeedsLock();
                }

                // Most successes follow successes: only when some strategy has a streak or an entry do these lookups run.
                if (_streaks.Count != 0)
                {
                    _streaks.Remove(key);
                }

                if (_blacklist.Count != 0 && _blacklist.TryGetValue(key, out var entry) && entry.IsAutomatic)
                {
                    _blacklist.Remove(key);
                    lifted = entry;
                }
            }
        }

        if (nudge == StatisticsNudge.WriteNow)
        {
            Enqueue(new WriteItem(WriteKind.Statistics));
        }
        else if (nudge == StatisticsNudge.ArmTimer)
        {
            ArmStatisticsTimer();
        }

        if (lifted is not null)
        {
            Enqueue(new WriteItem(WriteKind.BlacklistRemove) { Strategy = lifted.StrategyName, Operation = lifted.Operation });
            if (lifted.IsActiveAt(now))
            {
                Log.StrategyUnblacklisted(_logger, lifted.StrategyName, lifted.Operation);
            }
        }
    }

    /// <summary>Analyses the recent failures of an operation (inside <see cref="FailureAnalyzerOptions.PatternWindow"/>).</summary>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The pattern, root cause, recommendations and confidence; <see cref="FailurePattern.None"/> when nothing matches.</returns>
    public FailureAnalysis AnalyzePattern(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var now = _timeProvider.GetUtcNow();
        var since = now - _options.PatternWindow;
        PatternInput input;
        lock (_lock)
        {
            if (!_operations.TryGetValue(operation, out var state))
            {
                return FailureAnalysis.Empty;
            }

            var all = new List<Failure>();
            foreach (var s in _operations.Values)
            {
                foreach (var f in s.Failures)
                {
                    if (f.Timestamp >= since)
                    {
                        all.Add(f);
                    }
                }
            }

            input = new PatternInput(
                operation,
                [.. state.Failures.Where(f => f.Timestamp >= since)],
                [.. state.Outcomes.Where(o => o.At >= since)],
                [.. state.TrailingRun],
                all,
                now);
        }

        var analysis = PatternDetector.Analyze(input, _options);
        if (analysis.Pattern != FailurePattern.None)
        {
            Log.PatternDetected(_logger, operation, analysis.Pattern, analysis.FailureCount, analysis.Confidence);
        }

        return analysis;
    }

    /// <summary>
    /// Analyses a given list of failures as if they were one operation's recent failures: no window is applied,
    /// the list counts as an unbroken run (no successes are known) and as the only evidence about services.
    /// </summary>
    /// <param name="failures">The failures, in any order.</param>
    /// <returns>The analysis.</returns>
    public FailureAnalysis AnalyzePattern(IReadOnlyList<Failure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
        {
            return FailureAnalysis.Empty;
        }

        var sorted = failures.OrderBy(f => f.Timestamp).ToList();
        var operations = sorted.Select(f => f.Operation).Distinct(StringComparer.Ordinal).ToList();
        var name = operations.Count == 1 ? operations[0] : string.Join("', '", operations);
        var last = sorted[^1].Timestamp;

        // The window is anchored at the newest failure so an old list is judged as it was when it happened.
        var input = new PatternInput(name, sorted, [.. sorted.Select(f => new RecordedOutcome(f.Timestamp, f))], sorted, sorted, last);
        var options = _options.Clone();
        options.PatternWindow = TimeSpan.MaxValue;
        return PatternDetector.Analyze(input, options);
    }

    /// <summary>Whether a strategy is blacklisted for an operation; served from memory, no I/O.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns><see langword="true"/> when it has an entry that has not expired.</returns>
    public bool IsStrategyBlacklisted(string strategyName, string operation) => GetBlacklistEntry(strategyName, operation) is not null;

    /// <summary>The blacklist entry of a strategy for an operation, when it has one in force; served from memory.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public BlacklistEntry? GetBlacklistEntry(string strategyName, string operation)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return _blacklist.TryGetValue((strategyName, operation), out var e) && e.IsActiveAt(now) ? e : null;
        }
    }

    /// <summary>Blacklists a strategy for an operation by hand. The entry lasts until removed unless <paramref name="expiresAfter"/> is given.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <param name="reason">Why, for the people reading the blacklist.</param>
    /// <param name="expiresAfter">How long the entry lasts; until removed when null.</param>
    /// <param name="cancellationToken">Cancels the wait for the write (the entry is in force in memory at once).</param>
    /// <returns>A task that completes when the write has been attempted; it never fails because of the store.</returns>
    public Task AddToBlacklistAsync(string strategyName, string operation, string reason, TimeSpan? expiresAfter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(strategyName);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(reason);
        if (expiresAfter is { } e && e <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAfter), expiresAfter, $"expiresAfter must be positive or null (until removed); was {e}.");
        }

        var now = _timeProvider.GetUtcNow();
        BlacklistEntry entry;
        lock (_lock)
        {
            entry = new BlacklistEntry
            {
                StrategyName = strategyName,
                Operation = operation,
                Reason = SecretRedactor.RedactText(reason),
                FailureCount = (int)Math.Min(int.MaxValue, _statistics.TryGetValue((strategyName, operation), out var cell) ? cell.Failures : 0),
                AddedAt = now,
                ExpiresAt = expiresAfter is { } d ? now + d : null,
                IsAutomatic = false,
            };
            _blacklist[(strategyName, operation)] = entry;
        }

        StrategiesBlacklisted.Add(1);
        Log.StrategyBlacklisted(_logger, strategyName, operation, entry.ExpiresAt, entry.Reason);
        Enqueue(new WriteItem(WriteKind.BlacklistUpsert) { Entry = entry });
        return FlushAsync(cancellationToken);
    }

    /// <summary>Removes a strategy from the blacklist of an operation (after the problem was fixed); also resets its growing expiry.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <param name="cancellationToken">Cancels the wait for the write.</param>
    /// <returns><see langword="true"/> when an entry was in force and is now gone.</returns>
    public async Task<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        var now = _timeProvider.GetUtcNow();
        bool wasActive;
        lock (_lock)
        {
            wasActive = _blacklist.Remove((strategyName, operation), out var entry) && entry.IsActiveAt(now);
            _streaks.Remove((strategyName, operation));
        }

        Enqueue(new WriteItem(WriteKind.BlacklistRemove) { Strategy = strategyName, Operation = operation });
        if (wasActive)
        {
            Log.StrategyUnblacklisted(_logger, strategyName, operation);
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return wasActive;
    }

    /// <summary>The blacklist entries in force, oldest first, as the store has them (entries added by other processes included), or from memory while the store is unavailable.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    public async Task<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (PersistenceHealthy)
        {
            try
            {
                return await _store.GetBlacklistAsync(includeExpired: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MarkUnhealthy(ex);
            }
        }

        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            return [.. _blacklist.Values.Where(e => e.IsActiveAt(now)).OrderBy(e => e.AddedAt)];
        }
    }

    /// <summary>The statistics of a strategy for an operation; served from memory.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The statistics; zeros when nothing is known.</returns>
    public StrategyStatistics GetStrategyStatistics(string strategyName, string operation)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        lock (_lock)
        {
            return _statistics.TryGetValue((strategyName, operation), out var s) ? s.ToStatistics(strategyName, operation) : new StrategyStatistics { StrategyName = strategyName, Operation = operation };
        }
    }

    /// <summary>The statistics of every strategy known for an operation (or for all operations); served from memory.</summary>
    /// <param name="operation">The operation, or null for all.</param>
    /// <returns>The statistics, best success rate first.</returns>
    public IReadOnlyList<StrategyStatistics> GetAllStrategyStatistics(string? operation = null)
    {
        lock (_lock)
        {
            return [.. _statistics.Where(p => operation is null || p.Key.Operation == operation).Select(p => p.Value.ToStatistics(p.Key.Strategy, p.Key.Operation))
                .OrderByDescending(s => s.SuccessRate).ThenBy(s => s.StrategyName, StringComparer.Ordinal).ThenBy(s => s.Operation, StringComparer.Ordinal)];
        }
    }

    /// <summary>The failures of an operation the analyzer holds in memory (recent ones, and those loaded at start), oldest first.</summary>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The failures.</returns>
    public IReadOnlyList<Failure> GetRecentFailures(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (_lock)
        {
            return _operations.TryGetValue(operation, out var s) ? [.. s.Failures] : [];
        }
    }

    /// <summary>
    /// Totals, most common errors, problematic operations and the last 7 days, from the store (pending writes
    /// flushed first), or from what is in memory while the store is unavailable.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The analytics.</returns>
    public async Task<FailureAnalytics> GetAnalyticsAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (PersistenceHealthy)
        {
            try
            {
                return await _store.GetFailureAnalyticsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MarkUnhealthy(ex);
            }
        }

        var now = _timeProvider.GetUtcNow();
        var builder = new FailureAnalyticsBuilder();
        int blacklisted;
        lock (_lock)
        {
            foreach (var s in _operations.Values)
            {
                foreach (var f in s.Failures)
                {
                    builder.Add(FailureAnalyticsBuilder.DayNumber(f.Timestamp), f.Operation, f.ErrorType, 1);
                }
            }

            blacklisted = _blacklist.Values.Count(e => e.IsActiveAt(now));
        }

        return builder.Build(now, blacklisted);
    }

    /// <summary>Deletes failures older than <paramref name="days"/> days from memory and from the store.</summary>
    /// <param name="days">The age in days (0 or more).</param>
    /// <param name="cancellationToken">Cancels the cleanup.</param>
    /// <returns>How many failures the store deleted (or, while it is unavailable, how many were forgotten in memory).</returns>
    public async Task<int> CleanupOldFailuresAsync(int days = 30, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var cutoff = _timeProvider.GetUtcNow() - TimeSpan.FromDays(days);
        var forgotten = 0;
        lock (_lock)
        {
            foreach (var s in _operations.Values)
            {
                forgotten += s.Forget(cutoff);
            }
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (PersistenceHealthy)
        {
            try
            {
                var deleted = await _store.CleanupOldFailuresAsync(days, cancellationToken).ConfigureAwait(false);
                Log.RetentionCleanup(_logger, deleted, days, _storeName);
                return deleted;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MarkUnhealthy(ex);
            }
        }

        return forgotten;
    }

    /// <summary>Forgets everything — failures, blacklist, statistics — in memory and in the store. Learning starts again from nothing.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes when the reset has been attempted in the store (it is retried while the store is unavailable).</returns>
    public Task ClearAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _operations.Clear();
            _blacklist.Clear();
            _statistics.Clear();
            _statisticsPending.Clear();
            _statisticsIncrements = 0;
            _streaks.Clear();
        }

        Enqueue(new WriteItem(WriteKind.Clear));
        return FlushAsync(cancellationToken);
    }

    /// <summary>Waits until everything recorded before the call has been written to the store, or the attempt failed.</summary>
    /// <param name="cancellationToken">Cancels the wait (not the writes).</param>
    /// <returns>A task that completes after the attempt; it never fails because of the store.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(new WriteItem(WriteKind.Flush) { Done = done }))
        {
            return Task.CompletedTask;
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Flushes pending writes (one last attempt while the store is unavailable), stops the background work and, when the analyzer created the store, disposes it. Idempotent.</summary>
    /// <returns>A task that completes when everything is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _cleanupTimer.DisposeAsync().ConfigureAwait(false);
        await _statisticsTimer.DisposeAsync().ConfigureAwait(false);
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_ownsStore)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    // ---------------------------------------------------------------- learning state

    private void AddFailure_NeedsLock(Failure failure)
    {
        var state = GetOperation_NeedsLock(failure.Operation);
        state.AddFailure(failure, _options.MaxRecentFailuresPerOperation);
        state.AddOutcome(new RecordedOutcome(failure.Timestamp, failure), _options.OutcomeHistorySize);
        state.TrailingRun.Enqueue(failure);
        if (state.TrailingRun.Count > _options.MaxRecentFailuresPerOperation)
        {
            state.TrailingRun.Dequeue();
        }
    }

    /// <summary>
    /// The totals cell of (strategy, operation) through the operation's one-entry cache: callers (the engine) pass the
    /// same strategy string instance call after call, so a reference check replaces hashing both names again.
    /// Cells leave <see cref="_statistics"/> only in <see cref="ClearAllAsync"/>, which drops the operation states too.
    /// </summary>
    private StatisticsCell StatisticsCellOf_NeedsLock(OperationState state, (string Strategy, string Operation) key)
    {
        if (ReferenceEquals(state.LastStrategy, key.Strategy) && state.LastCell is { } cached)
        {
            return cached;
        }

        var cell = Cell(_statistics, key);
        state.LastStrategy = key.Strategy;
        state.LastCell = cell;
        return cell;
    }

    /// <summary>The pending-increments cell of a key, linked from its totals cell; null when the store keeps no statistics.</summary>
    private StatisticsCell? PendingCell_NeedsLock(StatisticsCell cell, (string Strategy, string Operation) key) =>
        _statisticsStore is null ? null : cell.Pending ??= Cell(_statisticsPending, key);

    private void ArmStatisticsTimer()
    {
        try
        {
            _statisticsTimer.Change(_options.StatisticsFlushInterval, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Recorded after DisposeAsync: kept in memory only, as every write after disposal.
        }
    }

    /// <summary>
    /// Counts one pending increment and says what should wake the writer: nothing (already arranged), the flush timer
    /// (first increment since the last write) or a write at once (<see cref="FailureAnalyzerOptions.StatisticsFlushThreshold"/> reached).
    /// </summary>
    private StatisticsNudge CountStatisticsIncrement_NeedsLock()
    {
        if (++_statisticsIncrements >= _options.StatisticsFlushThreshold)
        {
            if (_statisticsWriteQueued)
            {
                return StatisticsNudge.None;
            }

            _statisticsWriteQueued = true;
            return StatisticsNudge.WriteNow;
        }

        if (_statisticsTimerArmed)
        {
            return StatisticsNudge.None;
        }

        _statisticsTimerArmed = true;
        return StatisticsNudge.ArmTimer;
    }

    private OperationState GetOperation_NeedsLock(string operation)
    {
        if (!_operations.TryGetValue(operation, out var state))
        {
            state = new OperationState(_options.OutcomeHistorySize);
            _operations[operation] = state;
        }

        return state;
    }

    private static StatisticsCell Cell(Dictionary<(string Strategy, string Operation), StatisticsCell> cells, (string Strategy, string Operation) key)
    {
        ref var cell = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(cells, key, out _);
        return cell ??= new StatisticsCell();
    }

    private BlacklistEntry? TrackStreak_NeedsLock(string strategy, string operation, Failure failure)
    {
        if (!_options.EnableAutomaticBlacklist)
        {
            return null;
        }

        var key = (strategy, operation);
        if (!_streaks.TryGetValue(key, out var streak))
        {
            streak = new Queue<DateTimeOffset>();
            _streaks[key] = streak;
        }

        var now = failure.Timestamp;
        while (streak.Count > 0 && streak.Peek() <= now - _options.BlacklistWindow)
        {
            streak.Dequeue();
        }

        streak.Enqueue(now);
        if (streak.Count > _options.BlacklistThreshold)
        {
            // Only the last BlacklistThreshold failures can decide; a strategy failing on while blacklisted must not grow this.
            streak.Dequeue();
        }

        _blacklist.TryGetValue(key, out var existing);
        if (streak.Count < _options.BlacklistThreshold || existing?.IsActiveAt(now) == true)
        {
            return null;
        }

        // Like Envoy's outlier ejection: each time the strategy is ejected again without recovering, it stays out longer.
        var times = existing is { IsAutomatic: true } ? existing.TimesBlacklisted + 1 : 1;
        var duration = TimeSpan.FromTicks((long)Math.Min(_options.MaxBlacklistDuration.Ticks, _options.BlacklistDuration.Ticks * Math.Pow(2, times - 1)));
        var span = now - streak.Peek();
        var entry = new BlacklistEntry
        {
            StrategyName = strategy,
            Operation = operation,
            Reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{streak.Count} failures in {PatternDetector.Span(span)} without a success (threshold {_options.BlacklistThreshold} in {PatternDetector.Span(_options.BlacklistWindow)}); last error {failure.ErrorType}{(failure.StatusCode is { } c ? $" HTTP {c}" : string.Empty)}: {failure.ErrorMessage}"),
            FailureCount = streak.Count,
            AddedAt = now,
            ExpiresAt = now + duration,
            IsAutomatic = true,
            TimesBlacklisted = times,
        };
        _blacklist[key] = entry;
        streak.Clear();
        return entry;
    }

    // ---------------------------------------------------------------- persistence

    private async Task<bool> TryLoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = _timeProvider.GetUtcNow();
            var reach = new[] { _options.PatternWindow, _options.PermanentSpan, _options.BlacklistWindow }.Max();
            var blacklist = await _store.GetBlacklistAsync(includeExpired: true, cancellationToken).ConfigureAwait(false);
            var failures = await _store.GetFailuresAsync(operation: null, errorType: null, since: now - reach, limit: _options.MaxRecentFailuresPerOperation * 10, cancellationToken: cancellationToken).ConfigureAwait(false);
            var statistics = _statisticsStore is null ? [] : await _statisticsStore.GetStrategyStatisticsAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                foreach (var e in blacklist)
                {
                    _blacklist.TryAdd((e.StrategyName, e.Operation), e);
                }

                // What this process learned while the store was away stays; the loaded state goes underneath it.
                foreach (var s in statistics)
                {
                    var key = (s.StrategyName, s.Operation);
                    Cell(_statistics, key).Add(s);
                }

                foreach (var loaded in failures.GroupBy(f => f.Operation, StringComparer.Ordinal))
                {
                    var older = loaded.OrderBy(f => f.Timestamp);
                    if (_operations.TryGetValue(loaded.Key, out var state))
                    {
                        // Loaded late (the store was away at start): the older history goes underneath what this process
                        // recorded since, as evidence only; its own outcomes and failure run, successes included, stay as they are.
                        state.PrependFailures(older, _options.MaxRecentFailuresPerOperation);
                        continue;
                    }

                    foreach (var f in older)
                    {
                        AddFailure_NeedsLock(f);
                    }
                }
            }

            Log.LearningLoaded(_logger, failures.Count, blacklist.Count, statistics.Count, _storeName);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            MarkUnhealthy(ex);
            return false;
        }
    }

    private void EnqueueFailure(Failure failure)
    {
        if (Interlocked.Increment(ref _pendingFailures) > _options.WriteBufferCapacity)
        {
            Interlocked.Decrement(ref _pendingFailures);
            Drop(1);
            return;
        }

        if (!_channel.Writer.TryWrite(new WriteItem(WriteKind.Failure) { Failure = failure }))
        {
            // Disposed: the failure stays in memory only.
            Interlocked.Decrement(ref _pendingFailures);
        }
    }

    private void Enqueue(WriteItem item) => _channel.Writer.TryWrite(item);

    private void Drop(int count)
    {
        var total = Interlocked.Add(ref _dropped, count);
        FailuresDropped.Add(count);
        if (Interlocked.Exchange(ref _droppingLogged, 1) == 0)
        {
            Log.FailuresDropped(_logger, _storeName, _options.WriteBufferCapacity, total);
        }
    }

    private void MarkUnhealthy(Exception ex)
    {
        StoreErrors.Add(1);
        Volatile.Write(ref _nextRetryAtTicks, (_timeProvider.GetUtcNow() + _options.PersistenceRetryInterval).UtcTicks);
        if (Interlocked.Exchange(ref _unhealthy, 1) == 0)
        {
            Log.PersistenceUnavailable(_logger, _storeName, _options.PersistenceRetryInterval, ex.Message, ex);
        }
    }

    private void MarkHealthy(int pending)
    {
        if (Interlocked.Exchange(ref _unhealthy, 0) == 1)
        {
            Interlocked.Exchange(ref _droppingLogged, 0);
            Log.PersistenceRestored(_logger, _storeName, pending);
        }
    }

    private async Task RunWriterAsync()
    {
        var reader = _channel.Reader;
        var flushes = new List<TaskCompletionSource>();
        while (true)
        {
            bool more;
            var retryAt = new DateTimeOffset(Volatile.Read(ref _nextRetryAtTicks), TimeSpan.Zero);
            var waitForRetry = !PersistenceHealthy && (_pending.Count > 0 || _needsLoad);
            using (var wake = waitForRetry ? new CancellationTokenSource(Max(TimeSpan.Zero, retryAt - _timeProvider.GetUtcNow()), _timeProvider) : null)
            {
                try
                {
                    more = await reader.WaitToReadAsync(wake?.Token ?? CancellationToken.None).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    more = true; // Time to try the store again.
                }
            }

            if (!more)
            {
                break;
            }

            while (reader.TryRead(out var item))
            {
                if (item.Kind == WriteKind.Flush)
                {
                    flushes.Add(item.Done!);
                    continue;
                }

                _pending.Add(item);
                if (_pending.Count >= _options.WriteBatchSize)
                {
                    await WritePendingAsync(final: false).ConfigureAwait(false);
                }
            }

            await WritePendingAsync(final: false).ConfigureAwait(false);
            foreach (var done in flushes)
            {
                done.TrySetResult();
            }

            flushes.Clear();
        }

        // Shutdown: one last attempt, whatever the retry schedule says.
        await WritePendingAsync(final: true).ConfigureAwait(false);
        var lost = _pending.Count(i => i.Kind == WriteKind.Failure);
        if (lost > 0)
        {
            Log.FailuresLostAtShutdown(_logger, lost, _storeName);
        }
    }

    /// <summary>
    /// Writes the pending items in order: runs of failures in transactions of up to WriteBatchSize, control items
    /// (blacklist, cleanup, clear) one by one, then the statistics increments. Stops at the first store error and
    /// keeps the rest for the next attempt, so a Clear never wipes failures recorded after it.
    /// </summary>
    private async Task WritePendingAsync(bool final)
    {
        var retryAt = new DateTimeOffset(Volatile.Read(ref _nextRetryAtTicks), TimeSpan.Zero);
        if (!final && !PersistenceHealthy && _timeProvider.GetUtcNow() < retryAt)
        {
            return;
        }

        if (_needsLoad)
        {
            _needsLoad = !await TryLoadAsync(CancellationToken.None).ConfigureAwait(false);
            if (_needsLoad)
            {
                return;
            }
        }

        var done = 0;
        var batch = new List<Failure>(Math.Min(_options.WriteBatchSize, _pending.Count));
        try
        {
            while (done < _pending.Count)
            {
                var item = _pending[done];
                if (item.Kind == WriteKind.Failure)
                {
                    batch.Clear();
                    for (var i = done; i < _pending.Count && _pending[i].Kind == WriteKind.Failure && batch.Count < _options.WriteBatchSize; i++)
                    {
                        batch.Add(_pending[i].Failure!);
                    }

                    await _store.SaveFailuresAsync(batch).ConfigureAwait(false);
                    done += batch.Count;
                    Interlocked.Add(ref _pendingFailures, -batch.Count);
                }
                else
                {
                    await ApplyAsync(item).ConfigureAwait(false);
                    done++;
                }
            }

            await WriteStatisticsAsync().ConfigureAwait(false);
            MarkHealthy(done);
        }
        catch (Exception ex)
        {
            MarkUnhealthy(ex);
        }
        finally
        {
            _pending.RemoveRange(0, done);
        }
    }

    private async Task WriteStatisticsAsync()
    {
        if (_statisticsStore is null)
        {
            return;
        }

        List<StrategyStatistics>? increments = null;
        lock (_lock)
        {
            // The cells stay (zeroed) so the next increments of the same keys allocate nothing.
            foreach (var (key, pending) in _statisticsPending)
            {
                if (!pending.IsEmpty)
                {
                    (increments ??= []).Add(pending.ToStatistics(key.Strategy, key.Operation));
                    pending.Reset();
                }
            }

            _statisticsIncrements = 0;
            _statisticsTimerArmed = false;
            _statisticsWriteQueued = false;
        }

        if (increments is null)
        {
            return;
        }

        try
        {
            await _statisticsStore.MergeStrategyStatisticsAsync(increments).ConfigureAwait(false);
        }
        catch
        {
            // Put the increments back under whatever arrived meanwhile, so nothing is counted twice or lost.
            lock (_lock)
            {
                foreach (var inc in increments)
                {
                    var key = (inc.StrategyName, inc.Operation);
                    Cell(_statisticsPending, key).Add(inc);
                    _statisticsIncrements += (int)Math.Min(int.MaxValue - _statisticsIncrements, inc.Attempts);
                }
            }

            throw;
        }
    }

    private async Task ApplyAsync(WriteItem item)
    {
        switch (item.Kind)
        {
            case WriteKind.BlacklistUpsert:
                await _store.AddToBlacklistAsync(item.Entry!).ConfigureAwait(false);
                break;
            case WriteKind.BlacklistRemove:
                await _store.RemoveFromBlacklistAsync(item.Strategy!, item.Operation!).ConfigureAwait(false);
                break;
            case WriteKind.Clear:
                await _store.ClearAllAsync().ConfigureAwait(false);
                break;
            case WriteKind.Cleanup:
                var days = (int)Math.Ceiling(_options.Retention.TotalDays);
                var deleted = await _store.CleanupOldFailuresAsync(days).ConfigureAwait(false);
                if (deleted > 0)
                {
                    Log.RetentionCleanup(_logger, deleted, days, _storeName);
                }

                break;
            case WriteKind.Statistics:
                break;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private enum StatisticsNudge
    {
        None,
        ArmTimer,
        WriteNow,
    }

    private enum WriteKind
    {
        Failure,
        BlacklistUpsert,
        BlacklistRemove,
        Statistics,
        Cleanup,
        Clear,
        Flush,
    }

    // A struct: the channel's segments hold it inline, so recording a failure allocates no queue item.
    private readonly struct WriteItem(WriteKind kind)
    {
        public WriteKind Kind { get; } = kind;

        public Failure? Failure { get; init; }

        public BlacklistEntry? Entry { get; init; }

        public string? Strategy { get; init; }

        public string? Operation { get; init; }

        public TaskCompletionSource? Done { get; init; }
    }

    /// <summary>What the analyzer remembers of one operation. Guarded by the analyzer's lock.</summary>
    private sealed class OperationState(int outcomeHistorySize)
    {
        public Queue<Failure> Failures { get; } = new();

        /// <summary>The strategy of the last success and its statistics cell: the success path's cache.</summary>
        public string? LastStrategy;

        public StatisticsCell? LastCell;

        // A ring buffer (Queue<T> is a circular array) sized once: recording an outcome allocates nothing.
        public Queue<RecordedOutcome> Outcomes { get; } = new(Math.Min(outcomeHistorySize, 1024));

        /// <summary>Failures since the last success, oldest first.</summary>
        public Queue<Failure> TrailingRun { get; private set; } = new();

        public void AddFailure(Failure failure, int max)
        {
            Failures.Enqueue(failure);
            while (Failures.Count > max)
            {
                Failures.Dequeue();
            }
        }

        public void AddOutcome(RecordedOutcome outcome, int max)
        {
            // Make room first so the buffer never grows past max.
            while (Outcomes.Count >= max)
            {
                Outcomes.Dequeue();
            }

            Outcomes.Enqueue(outcome);
        }

        public void PrependFailures(IEnumerable<Failure> older, int max)
        {
            var merged = older.Concat(Failures).ToList();
            Failures.Clear();
            foreach (var f in merged.Skip(Math.Max(0, merged.Count - max)))
            {
                Failures.Enqueue(f);
            }
        }

        public int Forget(DateTimeOffset cutoff)
        {
            var n = 0;
            while (Failures.Count > 0 && Failures.Peek().Timestamp < cutoff)
            {
                Failures.Dequeue();
                n++;
            }

            TrailingRun = new Queue<Failure>(TrailingRun.Where(f => f.Timestamp >= cutoff));
            return n;
        }
    }
}
