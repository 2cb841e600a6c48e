namespace Steadfast;

/// <summary>One stored checkpoint of a workflow, as an <see cref="ICheckpointStore"/> keeps it.</summary>
/// <param name="WorkflowId">The workflow's id.</param>
/// <param name="Sequence">The sequence number, 1 for the first checkpoint of the workflow (assigned by the store on append).</param>
/// <param name="CreatedAt">When the checkpoint was taken.</param>
/// <param name="FormatVersion">The version of the envelope format the data was written with.</param>
/// <param name="Checksum">The lowercase hex SHA-256 of <paramref name="Data"/>, as computed by the writer.</param>
/// <param name="Data">The serialized state (UTF-8 JSON).</param>
public sealed record CheckpointRecord(
    string WorkflowId,
    long Sequence,
    DateTimeOffset CreatedAt,
    int FormatVersion,
    string Checksum,
    ReadOnlyMemory<byte> Data)
{
    /// <summary>The description of this checkpoint without its data.</summary>
    /// <returns>The checkpoint's <see cref="CheckpointInfo"/>.</returns>
    public CheckpointInfo ToInfo() => new(Sequence, CreatedAt, Data.Length, Checksum, FormatVersion);
}
