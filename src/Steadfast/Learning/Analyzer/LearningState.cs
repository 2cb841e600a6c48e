namespace Steadfast;

/// <summary>
/// What the analyzer knows in memory, guarded by one <see cref="Lock"/>: the <see cref="OperationHistory"/>, the
/// <see cref="StrategyBlacklist"/> and the <see cref="StatisticsTracker"/>, which one recorded attempt updates together
/// (as Polly's circuit controller guards its behaviour). Every member here takes the lock; the collaborators never do.
/// No callback, log or task completion runs under it.
/// </summary>
internal sealed class LearningState : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly OperationHistory _history;
    private readonly StrategyBlacklist _blacklist;
    private readonly StatisticsTracker _statistics;
    private IDisposable? _blacklistChanges;

    // What this process did before the store's history was merged in, so that the merge brings back nothing it removed.
    private bool _loaded;
    private bool _clearedBeforeLoad;
    private DateTimeOffset? _forgottenBeforeLoad;
    private HashSet<(string Strategy, string Operation)>? _removedBeforeLoad;
    private IDisposable? _remoteFailures;

    /// <param name="options">The analyzer's options.</param>
    /// <param name="persistsStatistics">Whether the store keeps statistics (then increments are kept for writing).</param>
    /// <param name="timeProvider">The clock of the statistics flush timer.</param>
    /// <param name="requestStatisticsWrite">Asks the background writer for a statistics write.</param>
    public LearningState(FailureAnalyzerOptions options, bool persistsStatistics, TimeProvider timeProvider, Action requestStatisticsWrite)
    {
        _history = new OperationHistory(options);
        _blacklist = new StrategyBlacklist(options);
        _statistics = new StatisticsTracker(options, persistsStatistics, timeProvider, requestStatisticsWrite);
    }

    /// <summary>
    /// Records a failure in the history and, with a strategy, in its statistics and streak — unless it is a rate
    /// limit: that stays in the history (patterns and root causes still see it) but is neutral for the strategy (no
    /// statistics, no streak, no failed probe); a probe it answered is cancelled until <paramref name="retryAfter"/>.
    /// </summary>
    /// <param name="failure">The failure (classified).</param>
    /// <param name="retryAfter">The failure's retry-after hint, if any.</param>
    /// <returns>The automatic blacklist entry the failure caused, if any.</returns>
    public BlacklistEntry? RecordFailure(Failure failure, TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            _history.AddFailure_NeedsLock(failure);
            if (failure.Strategy is not { } strategy)
            {
                return null;
            }

            var key = (strategy, failure.Operation);
            if (failure.Category == ErrorCategory.RateLimited)
            {
                // The provider is up and asked us to slow down: not evidence that the strategy is failing.
                _blacklist.CancelProbe_NeedsLock(key, failure.Timestamp, retryAfter);
                return null;
            }

            _statistics.RecordFailure_NeedsLock(key, failure.Timestamp);
            return _blacklist.TrackFailure_NeedsLock(strategy, failure.Operation, failure);
        }
    }

    /// <summary>Records a success; allocates nothing in steady state.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="strategy">The strategy, if any.</param>
    /// <param name="now">The time of the success.</param>
    /// <param name="duration">The attempt's duration, if known.</param>
    /// <param name="lifted">The automatic blacklist entry the success lifted, if any.</param>
    /// <returns>What the statistics increment asks of the writer.</returns>
    public StatisticsNudge RecordSuccess(string operation, string? strategy, DateTimeOffset now, TimeSpan? duration, out BlacklistEntry? lifted)
    {
        lifted = null;
        lock (_lock)
        {
            var state = _history.AddSuccess_NeedsLock(operation, now);
            if (strategy is null)
            {
                return StatisticsNudge.None;
            }

            var key = (strategy, operation);
            lifted = _blacklist.RecordSuccess_NeedsLock(key);
            return _statistics.RecordSuccess_NeedsLock(state, key, now, duration, lifted is not null);
        }
    }

    public void ArmStatisticsTimer() => _statistics.ArmTimer();

    public DateTimeOffset? NextProbeAt(string strategy, string operation, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _blacklist.NextProbeAt_NeedsLock((strategy, operation), now);
        }
    }

    public bool TryBeginProbe(string strategy, string operation, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _blacklist.TryBeginProbe_NeedsLock((strategy, operation), now);
        }
    }

    public void CancelProbe(string strategy, string operation, DateTimeOffset now, TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            _blacklist.CancelProbe_NeedsLock((strategy, operation), now, retryAfter);
        }
    }

    public PatternInput? PatternInput(string operation, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _history.PatternInput_NeedsLock(operation, now);
        }
    }

    public IReadOnlyList<Failure> RecentFailures(string operation)
    {
        lock (_lock)
        {
            return _history.RecentFailures_NeedsLock(operation);
        }
    }

    /// <summary>Whether the blacklist may hold any entry; <see langword="false"/> means none at all (no lock, no clock).</summary>
    public bool MayHaveBlacklistEntries => _blacklist.MayHaveEntries;

    public BlacklistEntry? ActiveEntry(string strategy, string operation, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _blacklist.Active_NeedsLock((strategy, operation), now);
        }
    }

    public IReadOnlyList<BlacklistEntry> ActiveEntries(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _blacklist.ActiveEntries_NeedsLock(now);
        }
    }

    /// <summary>Puts a manual entry (reason already redacted) in force; it counts the strategy's failures as evidence.</summary>
    public BlacklistEntry AddToBlacklist(string strategy, string operation, string reason, DateTimeOffset now, TimeSpan? expiresAfter)
    {
        lock (_lock)
        {
            var entry = new BlacklistEntry
            {
                StrategyName = strategy,
                Operation = operation,
                Reason = reason,
                FailureCount = (int)Math.Min(int.MaxValue, _statistics.Failures_NeedsLock((strategy, operation))),
                AddedAt = now,
                ExpiresAt = expiresAfter is { } d ? now + d : null,
                IsAutomatic = false,
            };
            _blacklist.Set_NeedsLock(entry);
            return entry;
        }
    }

    /// <summary>Removes an entry and resets its growth; returns whether one was in force.</summary>
    public bool RemoveFromBlacklist(string strategy, string operation, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_loaded)
            {
                (_removedBeforeLoad ??= []).Add((strategy, operation));
            }

            return _blacklist.Remove_NeedsLock((strategy, operation), now);
        }
    }

    public StrategyStatistics Statistics(string strategy, string operation, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _statistics.Get_NeedsLock(strategy, operation, now);
        }
    }

    public IReadOnlyList<StrategyStatistics> AllStatistics(string? operation, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _statistics.All_NeedsLock(operation, now);
        }
    }

    /// <summary>The analytics of what is in memory (while the store is unavailable).</summary>
    public FailureAnalytics Analytics(DateTimeOffset now)
    {
        var builder = new FailureAnalyticsBuilder();
        int blacklisted;
        lock (_lock)
        {
            _history.AddTo_NeedsLock(builder);
            blacklisted = _blacklist.CountActive_NeedsLock(now);
        }

        return builder.Build(now, blacklisted);
    }

    /// <summary>Forgets failures older than <paramref name="cutoff"/>; returns how many.</summary>
    public int Forget(DateTimeOffset cutoff)
    {
        lock (_lock)
        {
            if (!_loaded && (_forgottenBeforeLoad is null || cutoff > _forgottenBeforeLoad))
            {
                _forgottenBeforeLoad = cutoff;
            }

            return _history.Forget_NeedsLock(cutoff);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _clearedBeforeLoad |= !_loaded;
            _history.Clear_NeedsLock();
            _blacklist.Clear_NeedsLock();
            _statistics.Clear_NeedsLock();
        }
    }

    /// <summary>
    /// Merges what the store holds underneath what this process recorded, as if it had been loaded first: the
    /// blacklist as <see cref="StrategyBlacklist.AddLoaded_NeedsLock"/> says, statistics added up, failures under this
    /// process's own (<see cref="OperationState.PutUnderneath"/>). Nothing this process cleared, removed or forgot comes back.
    /// </summary>
    /// <param name="blacklist">The stored entries, expired ones included.</param>
    /// <param name="failures">The stored recent failures.</param>
    /// <param name="statistics">The stored statistics.</param>
    /// <param name="now">The time of the load: loaded automatic entries are first probed an interval after it; loaded statistics' recent evidence is aged to it.</param>
    /// <returns>What the store must be told so that it agrees with memory.</returns>
    public StoreCorrections MergeLoaded(IReadOnlyList<BlacklistEntry> blacklist, IReadOnlyList<Failure> failures, IReadOnlyList<StrategyStatistics> statistics, DateTimeOffset now)
    {
        lock (_lock)
        {
            var (cleared, removed, forgotten) = (_clearedBeforeLoad, _removedBeforeLoad, _forgottenBeforeLoad);
            (_loaded, _clearedBeforeLoad, _removedBeforeLoad, _forgottenBeforeLoad) = (true, false, null, null);
            if (cleared)
            {
                return StoreCorrections.None; // the Clear queued for the store wipes all of it there too
            }

            List<BlacklistEntry>? lifted = null;
            List<BlacklistEntry>? rewritten = null;
            foreach (var e in blacklist)
            {
                var key = (e.StrategyName, e.Operation);
                if (removed?.Contains(key) == true)
                {
                    continue;
                }

                // A success recorded here after the entry was made lifts it, as it would have had the entry been loaded
                // first. Read before the loaded statistics join the cell, so only this process's successes count.
                if (e.IsAutomatic && _statistics.LastSuccessAt_NeedsLock(key) >= e.AddedAt)
                {
                    (lifted ??= []).Add(e);
                }
                else if (_blacklist.AddLoaded_NeedsLock(e, now) is { } replacement)
                {
                    (rewritten ??= []).Add(replacement);
                }
            }

            _statistics.AddLoaded_NeedsLock(statistics, now);
            _history.PutUnderneath_NeedsLock(forgotten is { } cutoff ? failures.Where(f => f.Timestamp >= cutoff) : failures);
            return lifted is null && rewritten is null ? StoreCorrections.None : new StoreCorrections(lifted ?? [], rewritten ?? []);
        }
    }

    /// <summary>Takes the pending statistics increments for a write; null when there are none.</summary>
    public List<StrategyStatistics>? TakeStatisticsIncrements()
    {
        lock (_lock)
        {
            return _statistics.TakeIncrements_NeedsLock();
        }
    }

    public void PutBackStatisticsIncrements(List<StrategyStatistics> increments)
    {
        lock (_lock)
        {
            _statistics.PutBack_NeedsLock(increments);
        }
    }

    public ValueTask DisposeAsync()
    {
        _blacklistChanges?.Dispose();
        _remoteFailures?.Dispose();
        return _statistics.DisposeAsync();
    }

    /// <summary>Applies the blacklist changes other processes make (a shared store's feed) to this analyzer's blacklist.</summary>
    public void FollowBlacklistChanges(IBlacklistChangeSource? source, TimeProvider time)
        => _blacklistChanges = source?.SubscribeBlacklistChanges(change =>
        {
            lock (_lock)
            {
                if (change.Entry is { } entry)
                {
                    _blacklist.SetRemote_NeedsLock(entry, time.GetUtcNow());
                }
                else
                {
                    _blacklist.Remove_NeedsLock((change.StrategyName, change.Operation), time.GetUtcNow());
                }
            }
        });

    /// <summary>
    /// Counts the failures other processes save (a shared store's feed) toward this analyzer's patterns and automatic
    /// blacklist: history and streak, never statistics (the recording process writes those, so the store counts them once).
    /// </summary>
    /// <param name="source">The shared store, if the store is one.</param>
    /// <param name="loaded">Whether the start-up load is done; before it, the load reads the failures from the store itself.</param>
    /// <param name="onBlacklisted">Called, outside the lock, with an automatic entry a remote failure caused.</param>
    public void FollowRemoteFailures(IFailureChangeSource? source, Func<bool> loaded, Action<BlacklistEntry> onBlacklisted)
        => _remoteFailures = source?.SubscribeFailures(failures =>
        {
            if (!loaded())
            {
                return;
            }

            List<BlacklistEntry>? blacklisted = null;
            lock (_lock)
            {
                foreach (var failure in failures)
                {
                    _history.AddFailure_NeedsLock(failure);
                    if (failure.Strategy is { } strategy && failure.Category != ErrorCategory.RateLimited
                        && _blacklist.TrackFailure_NeedsLock(strategy, failure.Operation, failure) is { } entry)
                    {
                        (blacklisted ??= []).Add(entry);
                    }
                }
            }

            foreach (var entry in blacklisted ?? [])
            {
                onBlacklisted(entry);
            }
        });
}
