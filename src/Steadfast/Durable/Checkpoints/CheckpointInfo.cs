namespace Steadfast;

/// <summary>The description of one stored checkpoint, without its data.</summary>
/// <param name="Sequence">The sequence number, 1 for the first checkpoint of the workflow; newer is higher.</param>
/// <param name="CreatedAt">When the checkpoint was taken.</param>
/// <param name="SizeBytes">The size of the serialized state in bytes.</param>
/// <param name="Checksum">The lowercase hex SHA-256 of the serialized state.</param>
/// <param name="FormatVersion">The version of the format the checkpoint was written with.</param>
public sealed record CheckpointInfo(long Sequence, DateTimeOffset CreatedAt, long SizeBytes, string Checksum, int FormatVersion);
