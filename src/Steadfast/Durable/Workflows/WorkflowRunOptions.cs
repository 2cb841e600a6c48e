using System.Text.Json;

namespace Steadfast;

/// <summary>Options of one <see cref="WorkflowRunner.RunAsync{TInput, TResult}"/> call, validated when the run starts.</summary>
public sealed class WorkflowRunOptions
{
    /// <summary>
    /// Whether steps completed by an earlier run of the same workflow id return their stored result instead of
    /// running again. When <see langword="false"/>, stored steps are deleted and the workflow starts afresh.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ResumeFromCheckpoint { get; set; } = WorkflowConstants.DefaultResumeFromCheckpoint;

    /// <summary>A step result larger than this (serialized, in bytes) fails the step with <see cref="CheckpointTooLargeException"/>. Between 1 and 1 GB.</summary>
    /// <value>The default is 16 MB (16,777,216).</value>
    public long MaxStepResultBytes { get; set; } = WorkflowConstants.DefaultMaxStepResultBytes;

    /// <summary>How step results are serialized to JSON.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    internal void Validate()
        => Guard.InRange(MaxStepResultBytes, 1, CheckpointConstants.MaxMaxSizeBytes, nameof(WorkflowRunOptions));
}
