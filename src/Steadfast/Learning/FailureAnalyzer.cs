using Microsoft.Extensions.Logging;
using Steadfast.Composition;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Records failures and successes, detects the five failure patterns, names root causes, recommends actions,
/// blacklists strategies that keep failing and keeps the statistics the engine ranks strategies by — and, with persistence, keeps it across restarts.
/// </summary>
/// <remarks>
/// <para>
/// Recording never blocks on storage: memory at once, the <see cref="IFailureStore"/> through a batching background
/// writer that <see cref="DisposeAsync"/> flushes. A broken store never breaks a call: the analyzer works on in memory,
/// logs one error, reports <see cref="PersistenceHealthy"/> as <see langword="false"/> and tries again every
/// <see cref="FailureAnalyzerOptions.PersistenceRetryInterval"/>.
/// </para>
/// <para>
/// The constructor does no I/O: it starts loading the previous runs' blacklist, statistics and recent failures in the background.
/// The synchronous reads answer from memory, so await <see cref="EnsureLoadedAsync"/> before relying on them (asynchronous reads wait
/// for the load). What is recorded before the load stays; the loaded history goes underneath. Names are case-sensitive. See docs/learning.md.
/// </para>
/// </remarks>
public sealed class FailureAnalyzer : IAsyncDisposable
{
    private readonly FailureAnalyzerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IFailureStore _store;
    private readonly bool _ownsStore;
    private readonly string _storeName;
    private readonly PersistenceHealth _health;
    private readonly LearningState _state;
    private readonly LearningLoader _loader;
    private readonly WriteBehind _writer;
    private readonly OutcomeRecorder _recorder;
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
    /// <param name="options">The options; validated and copied here.</param>
    /// <param name="enablePersistence">Whether to keep failures, blacklist and statistics in SQLite.</param>
    /// <param name="dbPath">The SQLite file when persistence is on; <c>data/failures.db</c> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where the analyzer and the store log; nothing is logged when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public FailureAnalyzer(FailureAnalyzerOptions options, bool enablePersistence = false, string? dbPath = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(
            enablePersistence
                ? DefaultStores.CreateFailureStore(dbPath, timeProvider, loggerFactory)
                : new InMemoryFailureStore(timeProvider: timeProvider),
            ownsStore: true,
            options,
            timeProvider,
            loggerFactory)
    {
    }

    /// <summary>Creates an analyzer over a store the caller owns (and disposes).</summary>
    /// <param name="store">Where failures, blacklist and (when it implements <see cref="IStrategyStatisticsStore"/>) statistics are kept.</param>
    /// <param name="options">The options; defaults when null; validated and copied here.</param>
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
        _ownsStore = ownsStore;
        _storeName = store.ToString() ?? store.GetType().Name;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateRedactingLogger<FailureAnalyzer>();
        _health = new PersistenceHealth(_timeProvider, _options.PersistenceRetryInterval, _logger, _storeName);

        // The statistics timer fires only once a recorded success armed it, so after _writer is set.
        _state = new LearningState(_options, store is IStrategyStatisticsStore, _timeProvider, () => _writer!.Enqueue(new WriteItem(WriteKind.Statistics)));
        _loader = new LearningLoader(store, _options, _timeProvider, _logger, _storeName, _health, _state);
        _writer = new WriteBehind(store, _options, _timeProvider, _logger, _storeName, _health, _loader, _state);
        _recorder = new OutcomeRecorder(_state, _writer, _timeProvider, _logger);
        _state.FollowBlacklistChanges(store as IBlacklistChangeSource, _timeProvider); // a shared store: other machines' entries apply here at once,
        _state.FollowRemoteFailures(store as IFailureChangeSource, () => _loader.Attempted.IsCompleted, _recorder.Blacklisted); // their failures count here
    }

    /// <summary>The options in force (a copy; changing it has no effect).</summary>
    public FailureAnalyzerOptions Options => _options.Clone();

    /// <summary>The store failures and the blacklist are kept in.</summary>
    public IFailureStore Store => _store;

    /// <summary>Whether the store is working: <see langword="false"/> after a failed attempt (start-up load included) until a later one succeeds; meanwhile everything works in memory and writes wait (up to <see cref="FailureAnalyzerOptions.WriteBufferCapacity"/>).</summary>
    public bool PersistenceHealthy => _health.IsHealthy;

    /// <summary>Failures kept in memory but never persisted because the write buffer was full.</summary>
    public long DroppedFailures => _writer.Dropped;

    /// <summary>
    /// Waits until the start-up load — the blacklist, strategy statistics and recent failures the store holds from previous runs —
    /// has been attempted and merged underneath what was recorded meanwhile. Completes at once (without allocating) once that is
    /// done. When the store could not be read it completes too, with <see cref="PersistenceHealthy"/> <see langword="false"/>; the
    /// load is then retried with the store and merged the same way when it works again. The engine awaits this before its first execution.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait (not the load).</param>
    /// <returns>A task that completes when the start-up load has been attempted; it never fails because of the store.</returns>
    public ValueTask EnsureLoadedAsync(CancellationToken cancellationToken = default)
    {
        var attempted = _loader.Attempted;
        return attempted.IsCompleted ? default : new ValueTask(attempted.WaitAsync(cancellationToken));
    }

    /// <summary>Records a failure: classified, secrets redacted, kept in memory at once and written to the store in the background.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <param name="operation">The operation that failed (case-sensitive).</param>
    /// <param name="context">Context of the call; values under secret-looking keys are redacted before anything is kept.</param>
    /// <param name="strategy">
    /// The strategy that was running, if any: counts toward its statistics and automatic blacklisting and fails its claimed
    /// probe (the interval doubles). A rate limit (<see cref="ErrorCategory.RateLimited"/>: HTTP 429, a limiter's rejection)
    /// is kept and analysed like any failure but is neutral for the strategy, and gives a claimed probe back until its retry-after.
    /// </param>
    /// <returns>The failure as recorded (its <see cref="Failure.Id"/> is 0: the store assigns it later).</returns>
    public Failure RecordFailure(Exception exception, string operation, IReadOnlyDictionary<string, object?>? context = null, string? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        return _recorder.RecordFailure(exception, operation, context, strategy);
    }

    /// <summary>Records a success; successes break failure streaks, count for the intermittent pattern and rank strategies.</summary>
    /// <param name="operation">The operation that succeeded (case-sensitive).</param>
    /// <param name="strategy">
    /// The strategy that succeeded, if any. A success (a recovery probe's, or any other) lifts its automatic blacklist
    /// entry at once, in memory and in the store, and resets the growing expiry.
    /// </param>
    /// <param name="duration">How long the successful attempt took, if known.</param>
    public void RecordSuccess(string operation, string? strategy = null, TimeSpan? duration = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        _recorder.RecordSuccess(operation, strategy, duration, _timeProvider.GetUtcNow());
    }

    /// <summary>Records a success at <paramref name="now"/>, read from <paramref name="clock"/>: used when that is this analyzer's clock.</summary>
    internal void RecordSuccessAt(string operation, string strategy, TimeSpan duration, DateTimeOffset now, TimeProvider clock) =>
        _recorder.RecordSuccess(operation, strategy, duration, ReferenceEquals(clock, _timeProvider) ? now : _timeProvider.GetUtcNow());

    /// <summary>Analyses the recent failures of an operation (inside <see cref="FailureAnalyzerOptions.PatternWindow"/>), from memory.</summary>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The pattern, root cause, recommendations and confidence; <see cref="FailurePattern.None"/> when nothing matches.</returns>
    /// <remarks>Before <see cref="EnsureLoadedAsync"/> has completed, the previous runs' failures may not be in memory yet.</remarks>
    public FailureAnalysis AnalyzePattern(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_state.PatternInput(operation, _timeProvider.GetUtcNow()) is not { } input)
        {
            return FailureAnalysis.Empty;
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
        return PatternDetector.AnalyzeList(failures, _options);
    }

    /// <summary>Whether a strategy is blacklisted for an operation; served from memory, no I/O.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns><see langword="true"/> when it has an entry that has not expired.</returns>
    /// <remarks>Entries of previous runs are in memory once <see cref="EnsureLoadedAsync"/> has completed.</remarks>
    public bool IsStrategyBlacklisted(string strategyName, string operation) => GetBlacklistEntry(strategyName, operation) is not null;

    /// <summary>Whether the blacklist may hold an entry of any strategy; <see langword="false"/> means it is empty. No lock, no clock: for hot paths.</summary>
    internal bool MayHaveBlacklistEntries => _state.MayHaveBlacklistEntries;

    /// <summary>The blacklist entry of a strategy for an operation, when it has one in force; served from memory.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    /// <remarks>Entries of previous runs are in memory once <see cref="EnsureLoadedAsync"/> has completed.</remarks>
    public BlacklistEntry? GetBlacklistEntry(string strategyName, string operation)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        return _state.ActiveEntry(strategyName, operation, _timeProvider.GetUtcNow());
    }

    /// <summary>
    /// When the next recovery probe of an automatically blacklisted strategy is due (<see cref="TryBeginProbe"/> can claim it from then on; while a claimed
    /// probe runs, the end of its claim): <see cref="FailureAnalyzerOptions.BlacklistProbeInterval"/> after the entry was made (at once for an entry loaded at
    /// start-up), doubled by each failed probe, never after the entry's <see cref="BlacklistEntry.ExpiresAt"/>.
    /// </summary>
    /// <param name="strategy">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The time; <see langword="null"/> when the strategy is not blacklisted, or blacklisted by hand (never probed).</returns>
    public DateTimeOffset? GetNextProbeAt(string strategy, string operation)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(operation);
        return _state.NextProbeAt(strategy, operation, _timeProvider.GetUtcNow());
    }

    /// <summary>
    /// Claims the due recovery probe of an automatically blacklisted strategy, atomically: of any number of concurrent
    /// callers at most one gets <see langword="true"/> per interval. The winner makes one real call and records it:
    /// <see cref="RecordSuccess"/> lifts the entry, <see cref="RecordFailure"/> doubles the interval, <see cref="CancelProbe"/>
    /// gives the probe back. A claim that reports nothing lapses after one interval.
    /// </summary>
    /// <param name="strategy">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns><see langword="true"/> when this caller holds the probe; <see langword="false"/> when none is due, it is claimed, or the strategy has no automatic entry in force.</returns>
    public bool TryBeginProbe(string strategy, string operation)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(operation);
        return _state.TryBeginProbe(strategy, operation, _timeProvider.GetUtcNow());
    }

    /// <summary>Gives back a claimed probe whose call did not happen (a circuit refused it) or was rate limited; does nothing without a claim.</summary>
    /// <param name="strategy">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <param name="retryAfter">The next probe is due this long from now (at once when null or negative); the interval is not doubled.</param>
    public void CancelProbe(string strategy, string operation, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(operation);
        _state.CancelProbe(strategy, operation, _timeProvider.GetUtcNow(), retryAfter);
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
        ArgumentException.ThrowIfNullOrWhiteSpace(strategyName);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(reason);
        if (expiresAfter is { } e && e <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAfter), expiresAfter, $"expiresAfter must be positive or null (until removed); was {e}.");
        }

        var entry = _state.AddToBlacklist(strategyName, operation, SecretRedactor.RedactText(reason), _timeProvider.GetUtcNow(), expiresAfter);
        LearningMetrics.StrategiesBlacklisted.Add(1);
        Log.StrategyBlacklisted(_logger, strategyName, operation, entry.ExpiresAt, entry.Reason);
        _writer.Enqueue(new WriteItem(WriteKind.BlacklistUpsert) { Entry = entry });
        return FlushAsync(cancellationToken);
    }

    /// <summary>Removes a strategy from the blacklist of an operation (after the problem was fixed); also resets its growing expiry.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <param name="cancellationToken">Cancels the wait for the write.</param>
    /// <returns><see langword="true"/> when an entry was in force (in memory) and is now gone.</returns>
    public async Task<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        var wasActive = _state.RemoveFromBlacklist(strategyName, operation, _timeProvider.GetUtcNow());
        _writer.Enqueue(new WriteItem(WriteKind.BlacklistRemove) { Strategy = strategyName, Operation = operation });
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
    public async Task<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(CancellationToken cancellationToken = default) =>
        await _writer.ReadAfterFlushAsync(static (store, ct) => store.GetBlacklistAsync(includeExpired: false, ct), cancellationToken).ConfigureAwait(false) is (true, var entries)
            ? entries!
            : _state.ActiveEntries(_timeProvider.GetUtcNow());

    /// <summary>The statistics of a strategy for an operation; served from memory.</summary>
    /// <param name="strategyName">The strategy (case-sensitive).</param>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The statistics; zeros when nothing is known.</returns>
    /// <remarks>Statistics of previous runs are included once <see cref="EnsureLoadedAsync"/> has completed.</remarks>
    public StrategyStatistics GetStrategyStatistics(string strategyName, string operation)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        return _state.Statistics(strategyName, operation, _timeProvider.GetUtcNow());
    }

    /// <summary>The statistics of every strategy known for an operation (or for all operations); served from memory.</summary>
    /// <param name="operation">The operation, or null for all.</param>
    /// <returns>The statistics, best success rate first.</returns>
    /// <remarks>Statistics of previous runs are included once <see cref="EnsureLoadedAsync"/> has completed.</remarks>
    public IReadOnlyList<StrategyStatistics> GetAllStrategyStatistics(string? operation = null) => _state.AllStatistics(operation, _timeProvider.GetUtcNow());

    /// <summary>The failures of an operation the analyzer holds in memory (recent ones, and those loaded at start), oldest first.</summary>
    /// <param name="operation">The operation (case-sensitive).</param>
    /// <returns>The failures.</returns>
    /// <remarks>Failures of previous runs are included once <see cref="EnsureLoadedAsync"/> has completed.</remarks>
    public IReadOnlyList<Failure> GetRecentFailures(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return _state.RecentFailures(operation);
    }

    /// <summary>
    /// Totals, most common errors, problematic operations and the last 7 days, from the store (pending writes
    /// flushed first), or from what is in memory while the store is unavailable.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The analytics.</returns>
    public async Task<FailureAnalytics> GetAnalyticsAsync(CancellationToken cancellationToken = default) =>
        await _writer.ReadAfterFlushAsync(static (store, ct) => store.GetFailureAnalyticsAsync(ct), cancellationToken).ConfigureAwait(false) is (true, var analytics)
            ? analytics!
            : _state.Analytics(_timeProvider.GetUtcNow());

    /// <summary>Deletes failures older than <paramref name="days"/> days from memory and from the store.</summary>
    /// <param name="days">The age in days: <see cref="FailureRetention.MinDays"/> (a cleanup keeps at least the last day; <see cref="ClearAllAsync"/> forgets everything) to <see cref="FailureRetention.MaxDays"/>.</param>
    /// <param name="cancellationToken">Cancels the cleanup.</param>
    /// <returns>How many failures the store deleted (or, while it is unavailable, how many were forgotten in memory).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is out of range.</exception>
    public async Task<int> CleanupOldFailuresAsync(int days = 30, CancellationToken cancellationToken = default)
    {
        FailureRetention.ThrowIfOutOfRange(days);
        var forgotten = _state.Forget(_timeProvider.GetUtcNow() - TimeSpan.FromDays(days));
        if (await _writer.ReadAfterFlushAsync((store, ct) => store.CleanupOldFailuresAsync(days, ct), cancellationToken).ConfigureAwait(false) is (true, var deleted))
        {
            Log.RetentionCleanup(_logger, deleted, days, _storeName);
            return deleted;
        }

        return forgotten;
    }

    /// <summary>Forgets everything — failures, blacklist, statistics — in memory and in the store. Learning starts again from nothing.</summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>A task that completes when the reset has been attempted in the store (it is retried while the store is unavailable).</returns>
    /// <remarks>Called before the start-up load completes, it also keeps the previous runs' state from being loaded.</remarks>
    public Task ClearAllAsync(CancellationToken cancellationToken = default)
    {
        _state.Clear();
        _writer.Enqueue(new WriteItem(WriteKind.Clear));
        return FlushAsync(cancellationToken);
    }

    /// <summary>Waits until everything recorded before the call has been written to the store, or the attempt failed (the start-up load comes first).</summary>
    /// <param name="cancellationToken">Cancels the wait (not the writes).</param>
    /// <returns>A task that completes after the attempt; it never fails because of the store.</returns>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _writer.FlushAsync(cancellationToken);

    /// <summary>Flushes pending writes (one last attempt while the store is unavailable), stops the background work and, when the analyzer created the store, disposes it. Idempotent.</summary>
    /// <returns>A task that completes when everything is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _state.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        if (_ownsStore)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }
}
