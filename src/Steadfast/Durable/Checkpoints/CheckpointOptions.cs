using System.Text.Json;

namespace Steadfast;

/// <summary>Options of <see cref="WorkflowCheckpoint{TState}"/>, validated and copied when the checkpoint is created.</summary>
public sealed class CheckpointOptions
{
    /// <summary>How many checkpoints of a workflow are kept; older ones are deleted on save. Between 1 and 10,000.</summary>
    /// <value>The default is 10.</value>
    public int MaxCheckpoints { get; set; } = CheckpointConstants.DefaultMaxCheckpoints;

    /// <summary>How often <see cref="WorkflowCheckpoint{TState}.StartAutoCheckpoint"/> saves. Between 10 ms and 1 day.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan AutoCheckpointInterval { get; set; } = CheckpointConstants.DefaultAutoCheckpointInterval;

    /// <summary>A state larger than this (serialized, in bytes) is saved with a warning. Between 1 and <see cref="MaxSizeBytes"/>.</summary>
    /// <value>The default is 1 MB (1,048,576).</value>
    public long WarnSizeBytes { get; set; } = CheckpointConstants.DefaultWarnSizeBytes;

    /// <summary>A state larger than this (serialized, in bytes) is refused with <see cref="CheckpointTooLargeException"/>. Between 1 and 1 GB.</summary>
    /// <value>The default is 16 MB (16,777,216).</value>
    public long MaxSizeBytes { get; set; } = CheckpointConstants.DefaultMaxSizeBytes;

    /// <summary>How states are serialized to JSON. In a trimmed or native AOT app, give options whose resolver is a
    /// source-generated <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> that lists the type (docs/durable.md).</summary>
    /// <value>The default is <see langword="null"/>: <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? SerializerOptions { get; set; }

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <remarks>The checkpoint calls it on its own copy; call it yourself to check options early (for example on start-up).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        Guard.InRange(MaxCheckpoints, 1, CheckpointConstants.MaxMaxCheckpoints, nameof(CheckpointOptions));
        Guard.InRange(AutoCheckpointInterval, CheckpointConstants.MinAutoCheckpointInterval, CheckpointConstants.MaxAutoCheckpointInterval,
            nameof(CheckpointOptions));
        Guard.InRange(MaxSizeBytes, 1, CheckpointConstants.MaxMaxSizeBytes, nameof(CheckpointOptions));
        Guard.InRange(WarnSizeBytes, 1, MaxSizeBytes, nameof(CheckpointOptions));
    }

    /// <summary>Copies these options. The copy shares <see cref="SerializerOptions"/>, which System.Text.Json makes read-only once used.</summary>
    /// <returns>A new <see cref="CheckpointOptions"/> with the same values.</returns>
    public CheckpointOptions Clone() => (CheckpointOptions)MemberwiseClone();
}
