namespace Steadfast;

/// <summary>
/// The one schedule of an execution's strategies: each has the time it is next ready — after a transient failure its
/// backoff, after a rate limit its retry-after, while its circuit is open until half-open, while it is automatically
/// blacklisted its next recovery probe — and the runner always takes the best-ranked strategy that is ready now. It never
/// waits for one strategy's backoff while another is ready, and knows when nothing will be ready before the deadline.
/// </summary>
/// <remarks>
/// Created only after an execution's first attempt failed (a first-try success never needs it). Used by one runner
/// at a time: the sequential runner, or the coordinator of a race or a hedge; attempts in flight never touch it.
/// </remarks>
internal sealed class ExecutionSchedule<T>(ScheduleContext context, ResilienceResult<T> exec, long deadline)
{
    private readonly List<StrategyEntry<T>> _entries = [];
    private int _injected;

    /// <summary>Timestamp of the execution's deadline.</summary>
    public long Deadline => deadline;

    /// <summary>Whether some strategy could still be attempted, but not before the deadline.</summary>
    public bool DeferredPastDeadline { get; private set; }

    /// <summary>Adds a strategy after those already planned (or before them, for one an intervention supplied).</summary>
    public StrategyEntry<T> Add(StrategySlot<T> slot, bool injected = false, bool blacklisted = false)
    {
        var rank = injected ? int.MinValue + _injected++ : _entries.Count;
        var entry = new StrategyEntry<T>(slot, context.Circuits.Get(exec.OperationName, slot.Name), rank);
        if (blacklisted)
        {
            entry.AwaitsProbe = true;
            entry.ReadyAt = NextProbe(entry, context.Time.GetTimestamp());
        }

        _entries.Add(entry);
        return entry;
    }

    /// <summary>
    /// The best-ranked strategy ready at <paramref name="now"/>, not in flight; an automatically blacklisted one only
    /// when this caller wins its recovery probe. <see langword="null"/> when none is ready now.
    /// </summary>
    public StrategyEntry<T>? TakeReady(long now)
    {
        while (true)
        {
            StrategyEntry<T>? best = null;
            foreach (var e in _entries)
            {
                if (!e.Done && !e.InFlight && e.ReadyAt <= now && (best is null || e.Rank < best.Rank))
                {
                    best = e;
                }
            }

            if (best is null || !best.AwaitsProbe)
            {
                return best;
            }

            if (context.Learning.TryBeginProbe(best.Name, exec.OperationName))
            {
                best.Probing = true;
                return best;
            }

            // Another caller probes it now, the entry was lifted meanwhile, or it is a manual entry (never probed).
            best.ReadyAt = NextProbe(best, now);
        }
    }

    /// <summary>The earliest time a strategy not in flight will be ready, if any is left; past-deadline ones are dropped.</summary>
    public long? EarliestReadyAt()
    {
        long? earliest = null;
        foreach (var e in _entries)
        {
            if (e.Done || e.InFlight)
            {
                continue;
            }

            if (e.ReadyAt > deadline)
            {
                // Waiting for it would sleep into the deadline: it is out of this execution, and the stop reason says why.
                e.Done = true;
                DeferredPastDeadline = true;
                continue;
            }

            earliest = earliest is null || e.ReadyAt < earliest ? e.ReadyAt : earliest;
        }

        return earliest;
    }

    /// <summary>Whether any strategy has an attempt in flight.</summary>
    public bool AnyInFlight => _entries.Exists(static e => e.InFlight);

    /// <summary>Applies the outcome of an attempt of <paramref name="entry"/> that did not succeed: when, if ever, it is ready again.</summary>
    public void Settle(StrategyEntry<T> entry, in AttemptResult<T> result, long now)
    {
        entry.InFlight = false;
        var wasProbe = entry.Probing;
        entry.Probing = false;
        switch (result.Verdict)
        {
            case AttemptVerdict.NotAdmitted when result.Gate is Gate.CircuitOpen or Gate.RateLimited && result.RetryAfter is { } wait:
                // Ready again when its circuit lets a probe through, or its rate limit ends; a blacklist probe not made is given back.
                entry.ReadyAt = now + Ticks(wait);
                if (wasProbe)
                {
                    context.Learning.CancelProbe(entry.Name, exec.OperationName, wait);
                }

                break;
            case AttemptVerdict.NotAdmitted when result.Gate == Gate.Yield:
                entry.ReadyAt = now; // an intervention's strategy goes first; this one keeps its turn after it
                if (wasProbe)
                {
                    context.Learning.CancelProbe(entry.Name, exec.OperationName, null);
                }

                break;
            case AttemptVerdict.FailedMayRetry:
                SettleRetry(entry, result.Error!, now, wasProbe);
                break;
            default:
                if (wasProbe && result.Verdict is AttemptVerdict.NotAdmitted or AttemptVerdict.Cancelled)
                {
                    context.Learning.CancelProbe(entry.Name, exec.OperationName, null);
                }

                entry.Done = true;
                break;
        }
    }

    private void SettleRetry(StrategyEntry<T> entry, Exception error, long now, bool wasProbe)
    {
        var rateLimited = ErrorClassifier.Classify(error) == ErrorCategory.RateLimited;
        if (wasProbe)
        {
            if (rateLimited)
            {
                // A rate limit says nothing about recovery: give the probe back, to be made when the service allows.
                ErrorClassifier.TryGetRetryAfter(error, out var hint);
                context.Learning.CancelProbe(entry.Name, exec.OperationName, hint);
            }

            // A failed probe: the analyzer doubled the interval; the strategy is ready again at its next probe.
            entry.ReadyAt = NextProbe(entry, now);
            return;
        }

        if (entry.Run.Attempts >= context.Budget.AttemptsPerStrategy
            || context.Backoff.IsBeyondReach(error)
            || !context.RetryBudget.TryAcquireRetry(exec.OperationName))
        {
            entry.Done = true;
            return;
        }

        // One rule for every wait (RetrySchedule): the larger of the backoff and the retry-after hint, never more than MaxDelay.
        entry.ReadyAt = now + Ticks(context.Backoff.GetDelay(entry.Run.Attempts - 1, error, out _));
    }

    private long NextProbe(StrategyEntry<T> entry, long now)
    {
        if (context.Learning.NextProbeAt(entry.Name, exec.OperationName) is { } at)
        {
            var wait = at - context.Time.GetUtcNow();
            return now + Ticks(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        }

        if (!context.Learning.IsBlacklisted(entry.Name, exec.OperationName))
        {
            entry.AwaitsProbe = false; // lifted meanwhile (another execution's probe succeeded): an ordinary strategy again
            return now;
        }

        entry.Done = true; // a manual entry: never probed
        return now;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * context.Time.TimestampFrequency);
}

/// <summary>What every schedule of one engine needs: its collaborators, built once.</summary>
internal sealed class ScheduleContext(EngineCircuits circuits, EngineLearning learning, ExecutionBudget budget, RetrySchedule backoff, EngineRetryBudget retryBudget, TimeProvider time)
{
    public EngineCircuits Circuits { get; } = circuits;

    public EngineLearning Learning { get; } = learning;

    public ExecutionBudget Budget { get; } = budget;

    public RetrySchedule Backoff { get; } = backoff;

    public EngineRetryBudget RetryBudget { get; } = retryBudget;

    public TimeProvider Time { get; } = time;

    /// <summary>A timestamp <paramref name="span"/> after <paramref name="from"/>.</summary>
    public long After(long from, TimeSpan span) => from + (long)(span.TotalSeconds * Time.TimestampFrequency);

    /// <summary>
    /// The time from now until <paramref name="timestamp"/> (zero when it passed), rounded up to a whole millisecond: timers
    /// count whole milliseconds, and a wait rounded down would wake before the strategy is ready and spin until it is.
    /// </summary>
    public TimeSpan Until(long timestamp)
    {
        var now = Time.GetTimestamp();
        return timestamp <= now ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(Time.GetElapsedTime(now, timestamp).TotalMilliseconds));
    }
}
