namespace Steadfast;

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
