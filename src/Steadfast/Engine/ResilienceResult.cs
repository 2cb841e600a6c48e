namespace Steadfast;

/// <summary>
/// What one <see cref="ResilienceEngine"/> execution did: the value or the error, which strategy won, every attempt,
/// the time and cost spent, why it stopped, and what to do next.
/// </summary>
/// <typeparam name="T">What the execution produces.</typeparam>
/// <remarks>
/// The engine never throws for a failed execution (only for the caller's cancellation and invalid arguments): look at
/// <see cref="Success"/> and <see cref="StopReason"/>. During the execution this object also holds the engine's books of it
/// (an internal ledger), so a call that succeeds at once allocates nothing else.
/// </remarks>
public sealed class ResilienceResult<T>
{
    /// <summary>The execution's books; the engine writes them while it runs, the members below read them.</summary>
    internal AttemptLedger<T> Ledger;

    internal ResilienceResult(string operationName, IReadOnlyDictionary<string, object?>? context, DateTimeOffset startedAt, long startTimestamp) =>
        Ledger = new AttemptLedger<T>(operationName, context, startedAt, startTimestamp);

    /// <summary>The operation that was executed.</summary>
    public string OperationName => Ledger.OperationName;

    /// <summary>Whether a strategy succeeded.</summary>
    public bool Success => StopReason == StopReason.Succeeded;

    /// <summary>The value, when <see cref="Success"/>.</summary>
    public T? Value => Ledger.Value;

    /// <summary>The last failure when the execution did not succeed; <see langword="null"/> on success.</summary>
    public Exception? Error => Ledger.Error;

    /// <summary>Why the execution ended.</summary>
    public StopReason StopReason => Ledger.StopReason;

    /// <summary>The strategy that succeeded; <see langword="null"/> when none did.</summary>
    public string? StrategyUsed => Ledger.StrategyUsed;

    /// <summary>When the execution started (UTC).</summary>
    public DateTimeOffset StartedAt => Ledger.StartedAt;

    /// <summary>How long the execution took.</summary>
    public TimeSpan Duration => Ledger.Duration;

    /// <summary>What the execution cost: <see cref="Strategy{T}.Cost"/> of every attempt plus what attempts reported.</summary>
    public decimal Cost => Ledger.Cost;

    /// <summary>Attempts made (skipped strategies not counted).</summary>
    public int AttemptCount => Ledger.AttemptCount;

    /// <summary>Attempts that failed.</summary>
    public int FailedAttempts => Ledger.FailedAttempts;

    /// <summary>Whether the execution was escalated (see <see cref="ResilienceEngine.Escalated"/>).</summary>
    public bool Escalated => Ledger.Escalated;

    /// <summary>The failure pattern the learning layer sees in the operation's recent failures; <see cref="FailurePattern.None"/> when none (or on a first-try success).</summary>
    public FailurePattern Pattern => Analysis.Pattern;

    /// <summary>The learning layer's analysis of the operation's recent failures; <see cref="FailureAnalysis.Empty"/> when nothing failed in this execution or learning is off.</summary>
    public FailureAnalysis Analysis => Ledger.Analysis ?? FailureAnalysis.Empty;

    /// <summary>What to do next, most important first: the analyzer's advice and the engine's (which budget to raise, which strategy to add).</summary>
    public IReadOnlyList<string> Recommendations => Ledger.Recommendations ?? [];

    /// <summary>Every attempt and every skipped strategy, in the order they ended.</summary>
    public IReadOnlyList<AttemptRecord> Attempts
    {
        get
        {
            if (Ledger.Records is { } list)
            {
                return list.AsReadOnly();
            }

            // A first-try success keeps its only attempt in the result's own fields until someone asks.
            return StrategyUsed is { } s
                ? [new AttemptRecord(s, 1, StartedAt, Duration, AttemptOutcome.Succeeded) { Cost = Cost }]
                : [];
        }
    }
}
