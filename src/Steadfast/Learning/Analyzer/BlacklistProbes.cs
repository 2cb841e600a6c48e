namespace Steadfast;

/// <summary>
/// The recovery probes of automatic blacklist entries: one real call per interval, so a strategy that recovered is
/// found out long before its entry expires (the blacklist's analogue of a circuit's half-open state). The first probe
/// is due <see cref="FailureAnalyzerOptions.BlacklistProbeInterval"/> after the entry was made (at once when it was loaded); a failed
/// probe doubles the interval; a cancelled one (the call did not happen, or was rate limited) moves the next probe to
/// the retry-after without doubling. A claim is a lease for one interval: a probe that never reports does not keep the
/// strategy from being probed again. No probe is due after the entry's expiry (<see cref="Cap"/>). Owned by
/// <see cref="StrategyBlacklist"/>, which starts and stops schedules with its automatic entries; not thread-safe.
/// </summary>
internal sealed class BlacklistProbes(TimeSpan firstInterval)
{
    // Far beyond any expiry, and small enough that now + interval never overflows.
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(3650);

    private readonly Dictionary<(string Strategy, string Operation), ProbeState> _probes = [];

    /// <summary>Starts (or restarts) the schedule of an automatic entry made at <paramref name="at"/>: the first probe is due one interval later.</summary>
    public void Start_NeedsLock((string Strategy, string Operation) key, DateTimeOffset at) => _probes[key] = new ProbeState(firstInterval, at + firstInterval);

    /// <summary>
    /// Starts the schedule of an automatic entry loaded from the store at <paramref name="at"/>: its first probe is due at
    /// once. Nothing says how long the process was down; the outage may be long over, and one call finds out.
    /// </summary>
    public void StartLoaded_NeedsLock((string Strategy, string Operation) key, DateTimeOffset at) => _probes[key] = new ProbeState(firstInterval, at);

    public void Stop_NeedsLock((string Strategy, string Operation) key)
    {
        // Successes call this: most find no schedule at all.
        if (_probes.Count != 0)
        {
            _probes.Remove(key);
        }
    }

    public void Clear_NeedsLock() => _probes.Clear();

    /// <summary>When the next probe of the (active, automatic) <paramref name="entry"/> may be claimed.</summary>
    public DateTimeOffset NextAt_NeedsLock((string Strategy, string Operation) key, BlacklistEntry entry) => Cap(Of(key, entry).NextAt, entry);

    /// <summary>Claims the probe due now, if it is due and unclaimed; the claim lasts one interval.</summary>
    public bool TryBegin_NeedsLock((string Strategy, string Operation) key, BlacklistEntry entry, DateTimeOffset now)
    {
        var probe = Of(key, entry);
        if (now < Cap(probe.NextAt, entry))
        {
            return false;
        }

        probe.InProgress = true;
        probe.NextAt = now + probe.Interval;
        return true;
    }

    /// <summary>The claimed probe did not happen or was rate limited: next probe after the retry-after, interval unchanged. No-op without a claim.</summary>
    public void Cancel_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now, TimeSpan? retryAfter)
    {
        if (_probes.Count != 0 && _probes.TryGetValue(key, out var probe) && probe.InProgress)
        {
            probe.InProgress = false;
            probe.NextAt = now + Clamp(retryAfter ?? TimeSpan.Zero);
        }
    }

    /// <summary>The strategy failed while its probe was claimed: the probe failed, the interval doubles. No-op without a claim.</summary>
    public void Failed_NeedsLock((string Strategy, string Operation) key, DateTimeOffset now)
    {
        if (_probes.Count != 0 && _probes.TryGetValue(key, out var probe) && probe.InProgress)
        {
            probe.InProgress = false;
            probe.Interval = Clamp(probe.Interval * 2);
            probe.NextAt = now + probe.Interval;
        }
    }

    /// <summary>No probe is scheduled after the entry lapses: from then on the strategy is not blacklisted at all.</summary>
    private static DateTimeOffset Cap(DateTimeOffset at, BlacklistEntry entry) => entry.ExpiresAt is { } expires && expires < at ? expires : at;

    private static TimeSpan Clamp(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t > MaxInterval ? MaxInterval : t;

    /// <summary>The schedule of an active automatic entry; every such entry got one when it was made or loaded, this only guards that.</summary>
    private ProbeState Of((string Strategy, string Operation) key, BlacklistEntry entry)
    {
        if (!_probes.TryGetValue(key, out var probe))
        {
            probe = new ProbeState(firstInterval, entry.AddedAt + firstInterval);
            _probes[key] = probe;
        }

        return probe;
    }
}
