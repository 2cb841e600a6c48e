using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

// Durable execution: 4000-4099 checkpoints, 4100-4199 workflows, 4200-4299 queue.
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, EventName = "CheckpointSaved",
        Message = "Checkpoint {Sequence} of workflow {WorkflowId} saved ({SizeBytes} bytes)")]
    public static partial void CheckpointSaved(ILogger logger, string workflowId, long sequence, long sizeBytes);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, EventName = "CheckpointCorrupt",
        Message = "Checkpoint {Sequence} of workflow {WorkflowId} is corrupt ({Reason}); it is skipped and the previous one is used")]
    public static partial void CheckpointCorrupt(ILogger logger, string workflowId, long sequence, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, EventName = "CheckpointLarge",
        Message = "Checkpoint of workflow {WorkflowId} is {SizeBytes} bytes, over the warning level of {WarnSizeBytes} bytes")]
    public static partial void CheckpointLarge(ILogger logger, string workflowId, long sizeBytes, long warnSizeBytes);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, EventName = "CheckpointRefused",
        Message = "Checkpoint of workflow {WorkflowId} refused: {SizeBytes} bytes is over the limit of {MaxSizeBytes} bytes; the previous checkpoint is kept")]
    public static partial void CheckpointRefused(ILogger logger, string workflowId, long sizeBytes, long maxSizeBytes);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, EventName = "AutoCheckpointFailed",
        Message = "Automatic checkpoint of workflow {WorkflowId} failed; the next interval tries again")]
    public static partial void AutoCheckpointFailed(ILogger logger, string workflowId, Exception exception);

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, EventName = "WorkflowStarted",
        Message = "Workflow {WorkflowId} run {RunCount} started with {StoredSteps} stored steps")]
    public static partial void WorkflowStarted(ILogger logger, string workflowId, int runCount, int storedSteps);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, EventName = "WorkflowCompleted",
        Message = "Workflow {WorkflowId} completed: {StepsReplayed} steps replayed, {StepsExecuted} executed")]
    public static partial void WorkflowCompleted(ILogger logger, string workflowId, int stepsReplayed, int stepsExecuted);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, EventName = "WorkflowFailed",
        Message = "Workflow {WorkflowId} failed after {StepsReplayed} replayed and {StepsExecuted} executed steps; it can be resumed")]
    public static partial void WorkflowFailed(ILogger logger, string workflowId, int stepsReplayed, int stepsExecuted, Exception exception);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, EventName = "StepResultCorrupt",
        Message = "Stored result of step {StepKey} of workflow {WorkflowId} is corrupt; the step runs again")]
    public static partial void StepResultCorrupt(ILogger logger, string workflowId, string stepKey);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, EventName = "WorkflowCancelled",
        Message = "Workflow {WorkflowId} cancelled by its caller; it can be resumed")]
    public static partial void WorkflowCancelled(ILogger logger, string workflowId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, EventName = "WorkflowsCleanedUp",
        Message = "Deleted {Count} finished workflows last updated before {Cutoff}")]
    public static partial void WorkflowsCleanedUp(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, EventName = "WorkflowRecordFailed",
        Message = "Could not record workflow {WorkflowId} as {Status}; the store failed")]
    public static partial void WorkflowRecordFailed(ILogger logger, string workflowId, WorkflowStatus status, Exception exception);

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, EventName = "QueueItemDeadLettered",
        Message = "Queue item {ItemId} dead-lettered after {Attempts} delivery attempts: {Error}")]
    public static partial void QueueItemDeadLettered(ILogger logger, long itemId, int attempts, string error);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, EventName = "QueueHandlerFailed",
        Message = "Handler failed for queue item {ItemId} (delivery {Attempt}); it will be delivered again")]
    public static partial void QueueHandlerFailed(ILogger logger, long itemId, int attempt, Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, EventName = "QueueLeaseLost",
        Message = "Lease on queue item {ItemId} was lost (it expired and another worker may have it); its result is not recorded here")]
    public static partial void QueueLeaseLost(ILogger logger, long itemId);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error, EventName = "QueueStoreFailed",
        Message = "The queue store failed during {Operation}; the worker retries after the poll interval")]
    public static partial void QueueStoreFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Error, EventName = "QueueItemUnreadable",
        Message = "Queue item {ItemId} could not be deserialized; it is dead-lettered")]
    public static partial void QueueItemUnreadable(ILogger logger, long itemId, Exception exception);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information, EventName = "DeadLetterReplayed",
        Message = "Dead-lettered queue item {ItemId} moved back to pending")]
    public static partial void DeadLetterReplayed(ILogger logger, long itemId);
}
