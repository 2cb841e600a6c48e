namespace Steadfast;

/// <summary>The stored result of one completed workflow step.</summary>
/// <param name="WorkflowId">The workflow's id.</param>
/// <param name="Key">The step's key within the workflow: its name and occurrence, e.g. <c>fetch#0</c>.</param>
/// <param name="CompletedAt">When the step completed.</param>
/// <param name="Checksum">The lowercase hex SHA-256 of <paramref name="Result"/>.</param>
/// <param name="Result">The step's result as UTF-8 JSON.</param>
public sealed record WorkflowStepRecord(
    string WorkflowId,
    string Key,
    DateTimeOffset CompletedAt,
    string Checksum,
    ReadOnlyMemory<byte> Result);
