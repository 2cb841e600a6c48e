using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Reads what the previous runs learned (blacklist, strategy statistics, recent failures) and merges it underneath
/// what this process recorded meanwhile. The background writer calls it before its first write, and again before
/// each write until a load succeeds, so the store never holds this process's writes when it is read (nothing is
/// counted twice). Only the writer calls <see cref="TryLoadAsync"/>; <see cref="Attempted"/> may be awaited by anyone.
/// </summary>
internal sealed class LearningLoader
{
    private readonly IFailureStore _store;
    private readonly FailureAnalyzerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _storeName;
    private readonly PersistenceHealth _health;
    private readonly LearningState _state;
    private readonly DateTimeOffset _createdAt;
    private readonly TaskCompletionSource _attempted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _loaded;

    public LearningLoader(IFailureStore store, FailureAnalyzerOptions options, TimeProvider timeProvider, ILogger logger, string storeName, PersistenceHealth health, LearningState state)
    {
        _store = store;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _storeName = storeName;
        _health = health;
        _state = state;
        _createdAt = timeProvider.GetUtcNow();
    }

    /// <summary>Completes when the start-up load has been attempted, whether it succeeded or not. Never fails.</summary>
    public Task Attempted => _attempted.Task;

    /// <summary>Whether no load has succeeded yet (the writer tries again before its next write).</summary>
    public bool NeedsLoad => !_loaded;

    /// <summary>Loads and merges; on a store error marks the store unhealthy.</summary>
    /// <returns>What the store must still be told after the merge, or <see langword="null"/> when it could not be read.</returns>
    public async Task<StoreCorrections?> TryLoadAsync()
    {
        // The start-up load reads what was recent when the analyzer was built, as the constructor used to.
        var startUp = !_attempted.Task.IsCompleted;
        try
        {
            var now = startUp ? _createdAt : _timeProvider.GetUtcNow();
            var reach = new[] { _options.PatternWindow, _options.PermanentSpan, _options.BlacklistWindow }.Max();
            var blacklist = await _store.GetBlacklistAsync(includeExpired: true).ConfigureAwait(false);
            var failures = await _store.GetFailuresAsync(operation: null, errorType: null, since: now - reach, limit: _options.MaxRecentFailuresPerOperation * 10).ConfigureAwait(false);
            var statistics = _store is IStrategyStatisticsStore s ? await s.GetStrategyStatisticsAsync().ConfigureAwait(false) : [];
            var corrections = _state.MergeLoaded(blacklist, failures, statistics, _timeProvider.GetUtcNow());
            _loaded = true;
            Log.LearningLoaded(_logger, failures.Count, blacklist.Count, statistics.Count, _storeName);
            var at = _timeProvider.GetUtcNow();
            foreach (var e in corrections.Lifted.Where(e => e.IsActiveAt(at)))
            {
                Log.StrategyUnblacklisted(_logger, e.StrategyName, e.Operation);
            }

            return corrections;
        }
#pragma warning disable CA1031 // whatever the store throws (cancellation of its own included: no caller's token is involved), learning goes on in memory and the writer retries
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _health.MarkUnhealthy(ex);
            return null;
        }
        finally
        {
            if (startUp)
            {
                _attempted.TrySetResult();
            }
        }
    }
}
