using System.Diagnostics.CodeAnalysis;

namespace Steadfast;

/// <summary>
/// The books of one execution: what it is (operation, context, start), every attempt and skip, the counts and cost the
/// budgets read, the state of the strategy being run, and the outcome the result shows. The collaborators decide
/// (<see cref="ExecutionBudget"/> what to admit, <see cref="AttemptRecorder"/> what happened, <see cref="ResultWriter"/> how it ended);
/// the ledger only keeps the books consistent.
/// </summary>
/// <remarks>
/// <para>A struct held in place by <see cref="ResilienceResult{T}"/> (always used as <c>result.Ledger.X</c>, never copied), so a first-try
/// success allocates the result alone. What only failures, races and interventions need lives in <see cref="LedgerDetails{T}"/>, created on first need.</para>
/// <para>A sequential execution has one writer at a time and takes no lock. A race shares the ledger between its racers and guards it with
/// <see cref="Race.Lock"/>: members ending in <c>_NeedsLock</c> expect <see cref="Enter"/> to be held; the others take it themselves.
/// Once a race is decided the ledger is sealed: losers that end later change neither its records nor its counts.</para>
/// </remarks>
internal struct AttemptLedger<T>
{
    private readonly DateTime _startedUtc;
    private StrategyRun _current;
    private LedgerDetails<T>? _details;

    public AttemptLedger(string operationName, IReadOnlyDictionary<string, object?>? context, DateTimeOffset startedAt, long startTimestamp)
    {
        OperationName = operationName;
        Context = context;
        _startedUtc = startedAt.UtcDateTime;
        StartTimestamp = startTimestamp;
    }

    // ---- what the execution is ----------------------------------------------------------------------------------------

    public string OperationName { get; }

    public IReadOnlyDictionary<string, object?>? Context { get; }

    /// <summary>When the execution started, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long StartTimestamp { get; }

    public readonly DateTimeOffset StartedAt => new(_startedUtc, TimeSpan.Zero);

    // ---- how it ended -------------------------------------------------------------------------------------------------

    public T? Value { readonly get; private set; }

    public string? StrategyUsed { readonly get; private set; }

    public StopReason StopReason { readonly get; private set; }

    public TimeSpan Duration { readonly get; private set; }

    public readonly Exception? Error => _details?.Error;

    public readonly bool Escalated => _details?.Escalated == true;

    public readonly FailureAnalysis? Analysis => _details?.Analysis;

    public readonly IReadOnlyList<string>? Recommendations => _details?.Recommendations;

    /// <summary>Every attempt and skip so far; <see langword="null"/> while there is none or only a first-try success (see <see cref="RecordSuccess_NeedsLock"/>).</summary>
    public readonly List<AttemptRecord>? Records => _details?.Records;

    // ---- what the budgets and the escalation read ---------------------------------------------------------------------

    public decimal Cost { readonly get; private set; }

    /// <summary>When the execution's success was booked (a timestamp); 0 before. A result holds one success at most.</summary>
    public long SucceededAt { readonly get; private set; }

    /// <summary>Whether a success was booked (racers that succeed later lost the race).</summary>
    public readonly bool HasWinner => SucceededAt != 0;

    public int AttemptCount { readonly get; private set; }

    public int FailedAttempts { readonly get; private set; }

    public readonly Exception? LastError => _details?.LastError;

    /// <summary>Why the execution must stop before its strategies are exhausted, once something decided so.</summary>
    public readonly StopReason? ForcedStop => _details?.ForcedStop;

    public readonly bool CostRefused => _details?.CostRefused == true;

    public readonly bool Sealed => _details?.Sealed == true;

    public readonly int? NextInterventionAt => _details?.NextInterventionAt;

    public readonly int CreativeRounds => _details?.CreativeRounds ?? 0;

    public readonly string? InterventionReason => _details?.InterventionReason;

    /// <summary>The race sharing this ledger; <see langword="null"/> for a sequential execution.</summary>
    public readonly Race? Race => _details?.Race;

    public readonly bool HasInjected => _details?.Injected is { Count: > 0 };

    private LedgerDetails<T> D => _details ??= new LedgerDetails<T>();

    /// <summary>Takes the race's lock, if racers share the ledger; disposing the scope releases it.</summary>
    public readonly LedgerLock Enter() => new(_details?.Race?.Lock);

    /// <summary>The state of the strategy a runner is running: the racer's own, or the ledger's for a sequential execution.</summary>
    [UnscopedRef]
    public ref StrategyRun RunOf(Racer? racer) => ref racer is null ? ref _current : ref racer.Run;

    /// <summary>Shares the ledger with the racers of <paramref name="race"/>: from now on it is guarded by the race's lock.</summary>
    public void JoinRace(Race race) => D.Race = race;

    // ---- admission ----------------------------------------------------------------------------------------------------

    /// <summary>
    /// Charges an admitted attempt: its declared cost, one attempt of the execution and one of its strategy. <c>now</c> is the
    /// timestamp a racer's attempt is in flight since (unused for a sequential run).
    /// </summary>
    public void Admit_NeedsLock(decimal cost, Racer? racer, long now)
    {
        // Free strategies (most of them) skip the decimal arithmetic.
        if (cost != 0m)
        {
            Cost += cost;
        }

        AttemptCount++;
        ref var run = ref RunOf(racer);
        run.Attempts++;
        if (racer is not null)
        {
            run.InFlightSince = now;
        }
    }

    /// <summary>Takes back what <see cref="Admit_NeedsLock"/> charged, for an attempt its circuit then refused.</summary>
    public void Unadmit_NeedsLock(decimal cost, Racer? racer)
    {
        if (cost != 0m)
        {
            Cost -= cost;
        }

        AttemptCount--;
        ref var run = ref RunOf(racer);
        run.Attempts--;
        run.InFlightSince = 0;
    }

    public void ForceStop_NeedsLock(StopReason reason, string? interventionReason = null)
    {
        D.ForcedStop = reason;
        D.InterventionReason = interventionReason;
    }

    public void RefuseCost_NeedsLock() => D.CostRefused = true;

    // ---- recording ----------------------------------------------------------------------------------------------------

    /// <summary>
    /// Books a success. A sequential execution that has no records yet keeps none (<paramref name="record"/> may then be
    /// <see langword="null"/>): the result synthesises its only record when asked, so a first-try success allocates no list.
    /// </summary>
    public void RecordSuccess_NeedsLock(AttemptRecord? record, Racer? racer, long end, decimal reported)
    {
        ref var run = ref RunOf(racer);
        run.InFlightSince = 0;
        run.LastEnd = end;
        SucceededAt = end;
        if (racer is null)
        {
            if (reported != 0m)
            {
                Cost += reported;
            }

            if (record is not null)
            {
                _details?.Records?.Add(record);
            }

            return;
        }

        if (!Sealed)
        {
            Cost += reported;
        }

        AddRecord_NeedsLock(record!);
    }

    /// <summary>Books an attempt the engine cut; returns <see langword="false"/> when a sealed race already booked it as cancelled.</summary>
    public bool RecordCancelled_NeedsLock(AttemptRecord record, Racer? racer, long end, decimal reported)
    {
        ref var run = ref RunOf(racer);
        if (racer is not null && run.InFlightSince == 0)
        {
            return false;
        }

        run.InFlightSince = 0;
        run.LastEnd = end;
        Cost += reported;
        AddRecord_NeedsLock(record);
        return true;
    }

    /// <summary>Books a failure; returns the execution's failed attempts so far.</summary>
    public int RecordFailure_NeedsLock(AttemptRecord record, Racer? racer, long end, decimal reported, Exception error)
    {
        ref var run = ref RunOf(racer);
        run.InFlightSince = 0;
        run.LastEnd = end;
        if (!Sealed)
        {
            AddRecord_NeedsLock(record);
            FailedAttempts++;
            D.LastError = error;
            Cost += reported;
        }

        return FailedAttempts;
    }

    /// <summary>Marks the execution escalated the first time <paramref name="threshold"/> failures are reached; true only that once.</summary>
    public bool TryEscalate_NeedsLock(int threshold)
    {
        if (Escalated || FailedAttempts < threshold)
        {
            return false;
        }

        D.Escalated = true;
        return true;
    }

    public void AddRecord_NeedsLock(AttemptRecord record)
    {
        if (!Sealed)
        {
            (D.Records ??= []).Add(record);
        }
    }

    /// <summary>Closes the books of a decided race: nothing a loser does later is booked.</summary>
    public void Seal_NeedsLock() => D.Sealed = true;

    // ---- interventions and creative solving ---------------------------------------------------------------------------

    public void SetNextInterventionAt_NeedsLock(int failedAttempts) => D.NextInterventionAt = failedAttempts;

    public void Inject_NeedsLock(Strategy<T> strategy) => (D.Injected ??= new Queue<Strategy<T>>()).Enqueue(strategy);

    /// <summary>The next strategy an intervention supplied, if any.</summary>
    public Strategy<T>? TakeInjected()
    {
        using (Enter())
        {
            return _details?.Injected is { Count: > 0 } queue ? queue.Dequeue() : null;
        }
    }

    public void CountCreativeRound() => D.CreativeRounds++;

    public readonly bool IsStopped()
    {
        using (Enter())
        {
            return ForcedStop is not null;
        }
    }

    // ---- snapshots and the end ----------------------------------------------------------------------------------------

    public readonly (AttemptRecord[] Records, int Failed, Exception? LastError) SnapshotForSituation()
    {
        using (Enter())
        {
            return (_details?.Records?.ToArray() ?? [], FailedAttempts, LastError);
        }
    }

    public readonly (int Attempts, int Failed, decimal Cost) SnapshotCounts()
    {
        using (Enter())
        {
            return (AttemptCount, FailedAttempts, Cost);
        }
    }

    public void Succeed(T? value, string strategy)
    {
        Value = value;
        StrategyUsed = strategy;
    }

    public void Complete(StopReason reason, TimeSpan duration)
    {
        StopReason = reason;
        Duration = duration;
    }

    public void Explain(Exception? error, FailureAnalysis analysis, IReadOnlyList<string> recommendations)
    {
        D.Error = error;
        D.Analysis = analysis;
        D.Recommendations = recommendations;
    }
}

/// <summary>The part of an <see cref="AttemptLedger{T}"/> that a first-try success never needs.</summary>
internal sealed class LedgerDetails<T>
{
    public List<AttemptRecord>? Records;
    public Exception? Error;
    public Exception? LastError;
    public bool Escalated;
    public FailureAnalysis? Analysis;
    public IReadOnlyList<string>? Recommendations;
    public Race? Race;
    public StopReason? ForcedStop;
    public bool CostRefused;
    public bool Sealed;
    public int? NextInterventionAt;
    public int CreativeRounds;
    public Queue<Strategy<T>>? Injected;
    public string? InterventionReason;
}

/// <summary>Holds a race's lock for the scope of a <c>using</c>; holds nothing for a sequential execution.</summary>
internal readonly ref struct LedgerLock
{
    private readonly Lock? _lock;

    public LedgerLock(Lock? toHold)
    {
        _lock = toHold;
        _lock?.Enter();
    }

    public void Dispose() => _lock?.Exit();
}
