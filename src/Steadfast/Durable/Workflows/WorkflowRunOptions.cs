using System.Text.Json;

namespace Steadfast;

/// <summary>
/// Options of <see cref="WorkflowRunner.RunAsync{TInput, TResult}"/>: given to one call, or to the
/// <see cref="WorkflowRunner"/> as the options of calls that give none. Validated and copied when taken.
/// </summary>
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

    /// <summary>How step results are serialized to JSON. In a trimmed or native AOT app, give options whose resolver is a
    /// source-generated <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> that lists the type (docs/durable.md).</summary>
    /// <value>The default is <see langword="null"/>: <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <remarks>The runner calls it on its own copy; call it yourself to check options early (for example on start-up).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
        => Guard.InRange(MaxStepResultBytes, 1, CheckpointConstants.MaxMaxSizeBytes, nameof(WorkflowRunOptions));

    /// <summary>Copies these options. The copy shares <see cref="SerializerOptions"/>, which System.Text.Json makes read-only once used.</summary>
    /// <returns>A new <see cref="WorkflowRunOptions"/> with the same values.</returns>
    public WorkflowRunOptions Clone() => (WorkflowRunOptions)MemberwiseClone();
}
