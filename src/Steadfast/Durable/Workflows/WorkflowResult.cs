namespace Steadfast;

/// <summary>The outcome of a workflow run.</summary>
/// <typeparam name="T">The workflow's result type.</typeparam>
public sealed class WorkflowResult<T>
{
    internal WorkflowResult(string workflowId, int runNumber, bool success, T? value, Exception? error,
        int stepsReplayed, int stepsExecuted, TimeSpan duration)
    {
        WorkflowId = workflowId;
        RunNumber = runNumber;
        Success = success;
        Value = value;
        Error = error;
        StepsReplayed = stepsReplayed;
        StepsExecuted = stepsExecuted;
        Duration = duration;
    }

    /// <summary>The workflow's id.</summary>
    public string WorkflowId { get; }

    /// <summary>Which run of this workflow id this was, 1 for the first.</summary>
    public int RunNumber { get; }

    /// <summary>Whether the workflow completed.</summary>
    public bool Success { get; }

    /// <summary>The workflow's result when it succeeded; otherwise <c>default</c>.</summary>
    public T? Value { get; }

    /// <summary>Why the workflow failed; <see langword="null"/> when it succeeded. The workflow is recorded as failed and can be resumed.</summary>
    public Exception? Error { get; }

    /// <summary>Completed steps whose stored result was returned without running them again.</summary>
    public int StepsReplayed { get; }

    /// <summary>Steps that ran in this run (and completed or failed).</summary>
    public int StepsExecuted { get; }

    /// <summary>How long this run took.</summary>
    public TimeSpan Duration { get; }
}
