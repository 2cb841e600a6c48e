namespace Steadfast;

/// <summary>The record of a workflow, as <see cref="WorkflowRunner"/> keeps it in its <see cref="ICheckpointStore"/>.</summary>
/// <param name="WorkflowId">The workflow's id.</param>
/// <param name="Status">The state recorded by its last run.</param>
/// <param name="CreatedAt">When its first run started.</param>
/// <param name="UpdatedAt">When its record last changed (start or end of a run).</param>
/// <param name="RunCount">How many runs it had, the first one included.</param>
/// <param name="CompletedSteps">How many steps had completed when the last run ended.</param>
/// <param name="Error">The error of the last run when it failed (type and message), otherwise <see langword="null"/>.</param>
public sealed record WorkflowInfo(
    string WorkflowId,
    WorkflowStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int RunCount,
    int CompletedSteps,
    string? Error);
