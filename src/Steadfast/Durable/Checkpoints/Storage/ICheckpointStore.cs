namespace Steadfast;

/// <summary>
/// Keeps checkpoints, workflow records and completed workflow steps so long jobs survive a process crash.
/// Used by <see cref="WorkflowCheckpoint{TState}"/> and <see cref="WorkflowRunner"/>. Implementations: in memory
/// (<see cref="InMemoryCheckpointStore"/>), files (<see cref="FileCheckpointStore"/>), SQLite
/// (<see cref="SqliteCheckpointStore"/>) and, later, Redis.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use, must make every write atomic (a crash mid-write leaves the
/// previous data intact) and must throw rather than lose a write silently. Stores keep bytes as given: checksums
/// are computed and verified by the callers, so a store never needs to understand the payload.
/// </remarks>
public interface ICheckpointStore : IAsyncDisposable
{
    /// <summary>
    /// Appends a checkpoint to a workflow, giving it the next sequence number, and deletes the workflow's
    /// checkpoints beyond the newest <paramref name="keepNewest"/>, all in one atomic write.
    /// </summary>
    /// <param name="checkpoint">The checkpoint; its <see cref="CheckpointRecord.Sequence"/> is ignored.</param>
    /// <param name="keepNewest">How many checkpoints of the workflow to keep, this one included (at least 1).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The sequence number given to the checkpoint.</returns>
    ValueTask<long> AppendCheckpointAsync(CheckpointRecord checkpoint, int keepNewest, CancellationToken cancellationToken = default);

    /// <summary>Lists the checkpoints of a workflow without their data.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoints, newest (highest sequence) first.</returns>
    ValueTask<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Reads one checkpoint with its data.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="sequence">The checkpoint's sequence number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint, or <see langword="null"/> when it does not exist.</returns>
    ValueTask<CheckpointRecord?> ReadCheckpointAsync(string workflowId, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Deletes every checkpoint of a workflow.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many checkpoints were deleted.</returns>
    ValueTask<int> DeleteCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the record of a workflow run.</summary>
    /// <param name="workflow">The record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    ValueTask SaveWorkflowAsync(WorkflowInfo workflow, CancellationToken cancellationToken = default);

    /// <summary>Reads the record of a workflow.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when none is stored.</returns>
    ValueTask<WorkflowInfo?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Lists every workflow record.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, in no particular order.</returns>
    ValueTask<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores the result of a completed step (inserting or replacing the step with the same key).</summary>
    /// <param name="step">The step.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the step is durable.</returns>
    ValueTask SaveStepAsync(WorkflowStepRecord step, CancellationToken cancellationToken = default);

    /// <summary>Reads every completed step of a workflow.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The steps, in the order they were stored.</returns>
    ValueTask<IReadOnlyList<WorkflowStepRecord>> GetStepsAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every completed step of a workflow (used to start it afresh).</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many steps were deleted.</returns>
    ValueTask<int> DeleteStepsAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a workflow: its record, its steps and its checkpoints.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when a workflow record was deleted.</returns>
    ValueTask<bool> DeleteWorkflowAsync(string workflowId, CancellationToken cancellationToken = default);
}
