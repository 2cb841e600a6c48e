namespace Steadfast;

/// <summary>
/// An <see cref="ICheckpointStore"/> in process memory: for tests, and for workflows that only need to survive
/// failures inside one process. Nothing survives the process.
/// </summary>
public sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedList<long, CheckpointRecord>> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkflowInfo> _workflows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<WorkflowStepRecord>> _steps = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<long> AppendCheckpointAsync(CheckpointRecord checkpoint, int keepNewest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepNewest, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var sequence = _lastSequence.GetValueOrDefault(checkpoint.WorkflowId) + 1;
            _lastSequence[checkpoint.WorkflowId] = sequence;
            if (!_checkpoints.TryGetValue(checkpoint.WorkflowId, out var list))
            {
                _checkpoints[checkpoint.WorkflowId] = list = [];
            }

            list[sequence] = checkpoint with { Sequence = sequence, Data = checkpoint.Data.ToArray() };
            while (list.Count > keepNewest)
            {
                list.RemoveAt(0);
            }

            return ValueTask.FromResult(sequence);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<CheckpointInfo> infos = _checkpoints.TryGetValue(workflowId, out var list)
                ? [.. list.Values.Reverse().Select(c => c.ToInfo())]
                : [];
            return ValueTask.FromResult(infos);
        }
    }

    /// <inheritdoc />
    public ValueTask<CheckpointRecord?> ReadCheckpointAsync(string workflowId, long sequence, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_checkpoints.TryGetValue(workflowId, out var list) ? list.GetValueOrDefault(sequence) : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var count = _checkpoints.Remove(workflowId, out var list) ? list.Count : 0;
            return ValueTask.FromResult(count);
        }
    }

    /// <inheritdoc />
    public ValueTask SaveWorkflowAsync(WorkflowInfo workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _workflows[workflow.WorkflowId] = workflow;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowInfo?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_workflows.GetValueOrDefault(workflowId));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<WorkflowInfo>>([.. _workflows.Values]);
        }
    }

    /// <inheritdoc />
    public ValueTask SaveStepAsync(WorkflowStepRecord step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_steps.TryGetValue(step.WorkflowId, out var list))
            {
                _steps[step.WorkflowId] = list = [];
            }

            list.RemoveAll(s => s.Key == step.Key);
            list.Add(step with { Result = step.Result.ToArray() });
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowStepRecord>> GetStepsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<WorkflowStepRecord> steps = _steps.TryGetValue(workflowId, out var list) ? [.. list] : [];
            return ValueTask.FromResult(steps);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteStepsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_steps.Remove(workflowId, out var list) ? list.Count : 0);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _steps.Remove(workflowId);
            _checkpoints.Remove(workflowId);
            return ValueTask.FromResult(_workflows.Remove(workflowId));
        }
    }

    /// <summary>Nothing to release: the data lives as long as the store. Present because every store is <see cref="IAsyncDisposable"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
