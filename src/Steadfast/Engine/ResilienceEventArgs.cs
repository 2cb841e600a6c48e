namespace Steadfast;

/// <summary>What a <see cref="ResilienceEngine.Progress"/> event reports.</summary>
public enum ProgressKind
{
    /// <summary>An attempt started.</summary>
    AttemptStarted = 0,

    /// <summary>An attempt ended (see <see cref="ResilienceProgressEventArgs.Outcome"/>).</summary>
    AttemptFinished,

    /// <summary>A strategy failed for good or was skipped, and the execution moves on.</summary>
    StrategySwitched,

    /// <summary>A periodic snapshot, at least every <see cref="ResilienceOptions.CheckpointInterval"/>.</summary>
    Snapshot,
}

/// <summary>Progress of one execution, with the budgets left.</summary>
public sealed class ResilienceProgressEventArgs : EventArgs
{
    internal ResilienceProgressEventArgs(ProgressKind kind, string operationName, string? strategy, int attemptNumber, AttemptOutcome? outcome,
        int attempts, int failedAttempts, TimeSpan elapsed, TimeSpan timeLeft, int attemptsLeft, decimal costSpent, decimal costLeft)
    {
        Kind = kind;
        OperationName = operationName;
        Strategy = strategy;
        AttemptNumber = attemptNumber;
        Outcome = outcome;
        Attempts = attempts;
        FailedAttempts = failedAttempts;
        Elapsed = elapsed;
        TimeLeft = timeLeft;
        AttemptsLeft = attemptsLeft;
        CostSpent = costSpent;
        CostLeft = costLeft;
    }

    /// <summary>What happened.</summary>
    public ProgressKind Kind { get; }

    /// <summary>The operation.</summary>
    public string OperationName { get; }

    /// <summary>The strategy concerned; <see langword="null"/> for snapshots.</summary>
    public string? Strategy { get; }

    /// <summary>The attempt's number within its strategy; 0 when not about one attempt.</summary>
    public int AttemptNumber { get; }

    /// <summary>How the attempt ended, for <see cref="ProgressKind.AttemptFinished"/>.</summary>
    public AttemptOutcome? Outcome { get; }

    /// <summary>Attempts started so far in the execution.</summary>
    public int Attempts { get; }

    /// <summary>Attempts failed so far in the execution.</summary>
    public int FailedAttempts { get; }

    /// <summary>Time since the execution started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Time left before <see cref="ResilienceOptions.MaxTotalTime"/>.</summary>
    public TimeSpan TimeLeft { get; }

    /// <summary>Attempts left before <see cref="ResilienceOptions.MaxTotalAttempts"/>.</summary>
    public int AttemptsLeft { get; }

    /// <summary>Cost spent so far.</summary>
    public decimal CostSpent { get; }

    /// <summary>Cost left before <see cref="ResilienceOptions.MaxApiCost"/>.</summary>
    public decimal CostLeft { get; }
}

/// <summary>Raised once per execution when <see cref="ResilienceOptions.EscalateAfterFailures"/> attempts have failed.</summary>
public sealed class EscalationEventArgs : EventArgs
{
    internal EscalationEventArgs(ResilienceSituation situation) => Situation = situation;

    /// <summary>The operation.</summary>
    public string OperationName => Situation.OperationName;

    /// <summary>How many attempts had failed.</summary>
    public int FailedAttempts => Situation.FailedAttempts;

    /// <summary>The last failure.</summary>
    public Exception? LastError => Situation.LastError;

    /// <summary>The whole situation: attempts so far and the analysis.</summary>
    public ResilienceSituation Situation { get; }
}
