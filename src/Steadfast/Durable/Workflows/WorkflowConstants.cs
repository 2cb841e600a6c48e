namespace Steadfast;

/// <summary>Defaults of workflow runs.</summary>
internal static class WorkflowConstants
{
    public const bool DefaultResumeFromCheckpoint = true;
    public const long DefaultMaxStepResultBytes = CheckpointConstants.DefaultMaxSizeBytes;
    public const string OperationPrefix = "workflow-step:";
}
