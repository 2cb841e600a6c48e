namespace Steadfast;

/// <summary>The state of a workflow as last recorded.</summary>
public enum WorkflowStatus
{
    /// <summary>A run started and has not recorded an end: it is running, or its process died (resume it).</summary>
    Running,

    /// <summary>The last run completed successfully.</summary>
    Completed,

    /// <summary>The last run failed for good; its error is recorded and it can be resumed.</summary>
    Failed,

    /// <summary>The last run was cancelled by its caller; it can be resumed.</summary>
    Cancelled,
}
