namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary>One durable queue's counts and its newest dead letters (without their payloads, which may hold anything).</summary>
internal sealed record QueueView(
    string Name,
    long Pending,
    long InFlight,
    long Completed,
    long DeadLettered,
    IReadOnlyList<DeadLetterView> DeadLetters,
    string? Error);

/// <summary>A dead letter without its payload; the error redacted.</summary>
internal sealed record DeadLetterView(long Id, int Priority, int Attempts, string? LastError, DateTimeOffset EnqueuedAt, DateTimeOffset DeadLetteredAt);

/// <summary>One workflow and its checkpoints; the error redacted.</summary>
internal sealed record WorkflowView(
    string WorkflowId,
    WorkflowStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int RunCount,
    int CompletedSteps,
    string? Error,
    int Checkpoints,
    DateTimeOffset? LastCheckpointAt);
