using System.Globalization;

namespace Steadfast;

/// <summary>
/// The blacklist in memory: manual and automatic entries, the failure streaks that lead to automatic ones, with
/// the growing expiry, and the recovery probes of automatic entries (<see cref="BlacklistProbes"/>, started and stopped
/// with them). Not thread-safe: every member runs under the <see cref="LearningState"/> lock.
/// </summary>
internal sealed class StrategyBlacklist(FailureAnalyzerOptions options)
{
    private readonly Dictionary<(string Strategy, string Operation), BlacklistEntry> _entries = [];
    private readonly Dictionary<(string Strategy, string Operation), Queue<DateTimeOffset>> _streaks = [];
    private readonly BlacklistProbes _probes = new(options.BlacklistProbeInterval);

    /// <summary>
    /// Whether any entry is held (in force or lapsed, not yet dropped), read without the lock: a plain read of the dictionary's
    /// count, for callers that only need "none at all" to skip the lookups (a racing add is seen by the next read).
    /// </summary>
    public bool MayHaveEntries => _entries.Count > 0;

    public BlacklistEntry? Active_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now) =>
        _entries.TryGetValue(key, out var e) && e.IsActiveAt(now) ? e : null;

    /// <summary>Counts a failure of a strategy (a failed probe, if one was claimed); returns the automatic entry it caused, if any.</summary>
    public BlacklistEntry? TrackFailure_NeedsLock(string strategy, string operation, Failure failure)
    {
        var key = (strategy, operation);
        _probes.Failed_NeedsLock(key, failure.Timestamp);
        if (!options.EnableAutomaticBlacklist)
        {
            return null;
        }

        if (!_streaks.TryGetValue(key, out var streak))
        {
            streak = new Queue<DateTimeOffset>();
            _streaks[key] = streak;
        }

        var now = failure.Timestamp;
        while (streak.Count > 0 && streak.Peek() <= now - options.BlacklistWindow)
        {
            streak.Dequeue();
        }

        streak.Enqueue(now);
        if (streak.Count > options.BlacklistThreshold)
        {
            // Only the last BlacklistThreshold failures can decide; a strategy failing on while blacklisted must not grow this.
            streak.Dequeue();
        }

        _entries.TryGetValue(key, out var existing);
        if (streak.Count < options.BlacklistThreshold || existing?.IsActiveAt(now) == true)
        {
            return null;
        }

        var times = existing is { IsAutomatic: true } ? existing.TimesBlacklisted + 1 : 1;
        var duration = Duration(times);
        var span = now - streak.Peek();
        var entry = new BlacklistEntry
        {
            StrategyName = strategy,
            Operation = operation,
            Reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{streak.Count} failures in {PatternDetector.Span(span)} without a success (threshold {options.BlacklistThreshold} in {PatternDetector.Span(options.BlacklistWindow)}); last error {failure.ErrorType}{(failure.StatusCode is { } c ? $" HTTP {c}" : string.Empty)}: {SecretRedactor.RedactText(failure.ErrorMessage)}"),
            FailureCount = streak.Count,
            AddedAt = now,
            ExpiresAt = now + duration,
            IsAutomatic = true,
            TimesBlacklisted = times,
        };
        _entries[key] = entry;
        _probes.Start_NeedsLock(key, now);
        streak.Clear();
        return entry;
    }

    /// <summary>A success breaks the strategy's streak and lifts its automatic entry; returns the lifted entry, if any.</summary>
    public BlacklistEntry? RecordSuccess_NeedsLock((string Strategy, string Operation) key)
    {
        // Most successes follow successes: only when some strategy has a streak or an entry do these lookups run.
        if (_streaks.Count != 0)
        {
            _streaks.Remove(key);
        }

        if (_entries.Count != 0 && _entries.TryGetValue(key, out var entry) && entry.IsAutomatic)
        {
            _entries.Remove(key);
            _probes.Stop_NeedsLock(key);
            return entry;
        }

        return null;
    }

    /// <summary>Puts a manual entry in force; manual entries are never probed.</summary>
    public void Set_NeedsLock(BlacklistEntry entry)
    {
        var key = (entry.StrategyName, entry.Operation);
        _entries[key] = entry;
        _probes.Stop_NeedsLock(key);
    }

    /// <summary>Puts an entry another process made in force (<see cref="IBlacklistChangeSource"/>); an automatic one is probed here too, from its first interval on.</summary>
    public void SetRemote_NeedsLock(BlacklistEntry entry, DateTimeOffset now)
    {
        Set_NeedsLock(entry);
        if (entry.IsAutomatic)
        {
            _probes.Start_NeedsLock((entry.StrategyName, entry.Operation), now);
        }
    }

    /// <summary>Removes an entry and resets the growth; returns whether an entry was in force.</summary>
    public bool Remove_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now)
    {
        _streaks.Remove(key);
        _probes.Stop_NeedsLock(key);
        return _entries.Remove(key, out var entry) && entry.IsActiveAt(now);
    }

    /// <summary>When the next recovery probe is due; null when the strategy has no automatic entry in force.</summary>
    public DateTimeOffset? NextProbeAt_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now) =>
        ActiveAutomatic(key, now) is { } entry ? _probes.NextAt_NeedsLock(key, entry) : null;

    /// <summary>Claims the recovery probe due now; false when none is due, it is claimed, or the entry is manual or gone.</summary>
    public bool TryBeginProbe_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now) =>
        ActiveAutomatic(key, now) is { } entry && _probes.TryBegin_NeedsLock(key, entry, now);

    /// <summary>The claimed probe did not happen or was rate limited (see <see cref="BlacklistProbes.Cancel_NeedsLock"/>).</summary>
    public void CancelProbe_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now, TimeSpan? retryAfter) =>
        _probes.Cancel_NeedsLock(key, now, retryAfter);

    /// <summary>
    /// Puts an entry read from the store underneath this process's decision about the same key, as if it had been
    /// loaded first: a manual entry made here stays; an automatic one made here gives way to a stored entry that was
    /// in force when it was made (none would have been made), or else continues the stored growth.
    /// </summary>
    /// <returns>The entry the store must hold instead of the one this process wrote, or <see langword="null"/>.</returns>
    /// <remarks>
    /// A loaded automatic entry's first probe is due at <paramref name="loadedAt"/> (probe schedules live in memory only:
    /// the outage may have ended while no process ran); an automatic entry made here keeps its schedule.
    /// </remarks>
    public BlacklistEntry? AddLoaded_NeedsLock(BlacklistEntry loaded, DateTimeOffset loadedAt)
    {
        var key = (loaded.StrategyName, loaded.Operation);
        if (!_entries.TryGetValue(key, out var own))
        {
            _entries[key] = loaded;
            if (loaded.IsAutomatic)
            {
                _probes.StartLoaded_NeedsLock(key, loadedAt);
            }

            return null;
        }

        if (!own.IsAutomatic || (!loaded.IsAutomatic && !loaded.IsActiveAt(own.AddedAt)))
        {
            return null;
        }

        var times = loaded.TimesBlacklisted + own.TimesBlacklisted;
        var merged = loaded.IsActiveAt(own.AddedAt) ? loaded : own with { TimesBlacklisted = times, ExpiresAt = own.AddedAt + Duration(times) };
        _entries[key] = merged;
        if (!merged.IsAutomatic)
        {
            _probes.Stop_NeedsLock(key);
        }

        return merged;
    }

    public IReadOnlyList<BlacklistEntry> ActiveEntries_NeedsLock(DateTimeOffset now) =>
        [.. _entries.Values.Where(e => e.IsActiveAt(now)).OrderBy(e => e.AddedAt)];

    public int CountActive_NeedsLock(DateTimeOffset now) => _entries.Values.Count(e => e.IsActiveAt(now));

    public void Clear_NeedsLock()
    {
        _entries.Clear();
        _streaks.Clear();
        _probes.Clear_NeedsLock();
    }

    private BlacklistEntry? ActiveAutomatic((string Strategy, string Operation) key, DateTimeOffset now) =>
        _entries.Count != 0 && _entries.TryGetValue(key, out var e) && e.IsAutomatic && e.IsActiveAt(now) ? e : null;

    // Like Envoy's outlier ejection: each time the strategy is ejected again without recovering, it stays out longer.
    private TimeSpan Duration(int times) =>
        TimeSpan.FromTicks((long)Math.Min(options.MaxBlacklistDuration.Ticks, options.BlacklistDuration.Ticks * Math.Pow(2, times - 1)));
}
