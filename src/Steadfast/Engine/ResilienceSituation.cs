namespace Steadfast;

/// <summary>The state of an execution, as given to an <see cref="ICreativeSolver"/>, an <see cref="IInterventionHandler"/> and <see cref="ResilienceEngine.Escalated"/> subscribers.</summary>
public sealed class ResilienceSituation
{
    internal ResilienceSituation(string operationName, IReadOnlyDictionary<string, object?>? context, IReadOnlyList<AttemptRecord> attempts, int failedAttempts, Exception? lastError, FailureAnalysis analysis)
    {
        OperationName = operationName;
        Context = context;
        Attempts = attempts;
        FailedAttempts = failedAttempts;
        LastError = lastError;
        Analysis = analysis;
    }

    /// <summary>The operation being executed.</summary>
    public string OperationName { get; }

    /// <summary>The context given to the execution, if any (not redacted: it never leaves the process through the engine).</summary>
    public IReadOnlyDictionary<string, object?>? Context { get; }

    /// <summary>The attempts so far, in the order they ended.</summary>
    public IReadOnlyList<AttemptRecord> Attempts { get; }

    /// <summary>How many attempts failed so far.</summary>
    public int FailedAttempts { get; }

    /// <summary>The last failure, if any.</summary>
    public Exception? LastError { get; }

    /// <summary>What the learning layer concluded about the operation's recent failures; <see cref="FailureAnalysis.Empty"/> when learning is off.</summary>
    public FailureAnalysis Analysis { get; }
}
