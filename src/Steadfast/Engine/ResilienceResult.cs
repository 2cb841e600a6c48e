namespace Steadfast;

/// <summary>
/// What one <see cref="ResilienceEngine"/> execution did: the value or the error, which strategy won, every attempt,
/// the time and cost spent, why it stopped, and what to do next.
/// </summary>
/// <typeparam name="T">What the execution produces.</typeparam>
/// <remarks>
/// The engine never throws for a failed execution (only for the caller's cancellation and invalid arguments): look at
/// <see cref="Success"/> and <see cref="StopReason"/>. During the execution this object is also the engine's working
/// state, so a call that succeeds at once allocates nothing else.
/// </remarks>
public sealed class ResilienceResult<T>
{
    private readonly DateTime _startedUtc;

    internal ResilienceResult(string operationName, IReadOnlyDictionary<string, object?>? context, DateTimeOffset startedAt, long startTimestamp)
    {
        OperationName = operationName;
        Context = context;
        _startedUtc = startedAt.UtcDateTime;
        StartTimestamp = startTimestamp;
    }

    /// <summary>The operation that was executed.</summary>
    public string OperationName { get; }

    /// <summary>Whether a strategy succeeded.</summary>
    public bool Success => StopReason == StopReason.Succeeded;

    /// <summary>The value, when <see cref="Success"/>.</summary>
    public T? Value { get; internal set; }

    /// <summary>The last failure when the execution did not succeed; <see langword="null"/> on success.</summary>
    public Exception? Error => Details?.Error;

    /// <summary>Why the execution ended.</summary>
    public StopReason StopReason { get; internal set; }

    /// <summary>The strategy that succeeded; <see langword="null"/> when none did.</summary>
    public string? StrategyUsed { get; internal set; }

    /// <summary>When the execution started (UTC).</summary>
    public DateTimeOffset StartedAt => new(_startedUtc, TimeSpan.Zero);

    /// <summary>How long the execution took.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>What the execution cost: <see cref="Strategy{T}.Cost"/> of every attempt plus what attempts reported.</summary>
    public decimal Cost { get; internal set; }

    /// <summary>Attempts made (skipped strategies not counted).</summary>
    public int AttemptCount { get; internal set; }

    /// <summary>Attempts that failed.</summary>
    public int FailedAttempts { get; internal set; }

    /// <summary>Whether the execution was escalated (see <see cref="ResilienceEngine.Escalated"/>).</summary>
    public bool Escalated => Details?.Escalated ?? false;

    /// <summary>The failure pattern the learning layer sees in the operation's recent failures; <see cref="FailurePattern.None"/> when none (or on a first-try success).</summary>
    public FailurePattern Pattern => Analysis.Pattern;

    /// <summary>The learning layer's analysis of the operation's recent failures; <see cref="FailureAnalysis.Empty"/> when nothing failed in this execution or learning is off.</summary>
    public FailureAnalysis Analysis => Details?.Analysis ?? FailureAnalysis.Empty;

    /// <summary>What to do next, most important first: the analyzer's advice and the engine's (which budget to raise, which strategy to add).</summary>
    public IReadOnlyList<string> Recommendations => Details?.Recommendations ?? [];

    /// <summary>Every attempt and every skipped strategy, in the order they ended.</summary>
    public IReadOnlyList<AttemptRecord> Attempts
    {
        get
        {
            if (Details?.AttemptList is { } list)
            {
                return list.AsReadOnly();
            }

            // A first-try success keeps its only attempt in the result's own fields until someone asks.
            return StrategyUsed is { } s
                ? [new AttemptRecord(s, 1, StartedAt, Duration, AttemptOutcome.Succeeded) { Cost = Cost }]
                : [];
        }
    }

    // ---- execution state (internal) ------------------------------------------------------------------------------
    // This object is the engine's working state during the execution; what only failures, races and interventions
    // need lives in Details, created on first need, so a first-try success allocates this object alone.

    internal IReadOnlyDictionary<string, object?>? Context { get; }

    internal long StartTimestamp { get; }

    internal RunScratch Inline;

    internal ExecutionDetails<T>? Details;

    internal ExecutionDetails<T> D => Details ??= new ExecutionDetails<T>();
}

/// <summary>The part of an execution's state that a first-try success never needs.</summary>
internal sealed class ExecutionDetails<T>
{
    public Exception? Error;
    public bool Escalated;
    public FailureAnalysis? Analysis;
    public IReadOnlyList<string>? Recommendations;
    public List<AttemptRecord>? AttemptList;
    public ParallelState? Parallel;
    public StopReason? ForcedStop;
    public bool CostRefused;
    public int? NextInterventionAt;
    public int CreativeRounds;
    public Exception? LastError;
    public bool Sealed;
    public Queue<Strategy<T>>? Injected;
    public string? InterventionReason;
}

/// <summary>Why one strategy's run stopped before its retries were used up.</summary>
internal enum RunStop
{
    None = 0,
    NotRetryable,
    CircuitOpen,
    CostRefused,
    ExecutionStopped,
    Cancelled,
    Yielded,
}

/// <summary>The working state of one strategy's run; in the result for sequential runs, in a <see cref="Runner"/> for racing ones.</summary>
internal struct RunScratch
{
    public int Attempt;
    public long LastEnd;
    public long InFlightSince;
    public Exception? LastError;
    public RunStop Stop;
}

/// <summary>A racing strategy's run.</summary>
internal sealed class Runner
{
    public RunScratch Scratch;
    public string Name = string.Empty;
}

/// <summary>What only parallel executions need: the lock, the race and the runners.</summary>
internal sealed class ParallelState(CancellationTokenSource race)
{
    public readonly Lock Lock = new();
    public readonly CancellationTokenSource Race = race;
    public readonly List<Runner> Runners = [];
    public Task? PendingIntervention;
}
