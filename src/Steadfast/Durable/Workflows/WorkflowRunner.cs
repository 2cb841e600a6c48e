using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Runs workflows that resume after a crash. Each step's result is stored when the step completes
/// (<see cref="WorkflowContext.StepAsync{T}(string, Func{CancellationToken, Task{T}})"/>); running the same workflow id
/// again returns completed steps from the store and runs only the rest. A workflow that fails is recorded with its
/// error and can be resumed by running it again.
/// </summary>
public sealed class WorkflowRunner
{
    private readonly ICheckpointStore _store;
    private readonly WorkflowRunOptions _defaultRunOptions;
    private readonly IDurableExecutor _executor;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);

    /// <summary>Creates a runner.</summary>
    /// <param name="store">Where workflow records and step results are kept.</param>
    /// <param name="options">
    /// The options of runs that pass none to <see cref="RunAsync{TInput, TResult}"/>; validated and copied here.
    /// <see langword="null"/> uses the defaults (resume from stored steps).
    /// </param>
    /// <param name="engine">
    /// When given, every step runs through it (retries with backoff, circuits, budgets, learning; the step's operation
    /// name is <c>workflow-step:&lt;name&gt;</c>); a step fails when the engine gives up. <see langword="null"/> runs steps directly.
    /// </param>
    /// <param name="timeProvider">The clock; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public WorkflowRunner(ICheckpointStore store, WorkflowRunOptions? options = null, ResilienceEngine? engine = null,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _defaultRunOptions = Taken(options) ?? new WorkflowRunOptions();
        _executor = IDurableExecutor.For(engine);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateRedactingLogger("Steadfast.Durable.Workflow");
    }

    /// <summary>
    /// Runs (or resumes) a workflow. Failures of the workflow do not throw: they are in the result and recorded in the
    /// store. The caller's cancellation surfaces as <see cref="OperationCanceledException"/> and records the workflow as cancelled.
    /// </summary>
    /// <typeparam name="TInput">The input type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="workflowId">The workflow's id (at most 200 characters): the same id resumes the same workflow.</param>
    /// <param name="input">The input given to <paramref name="workflow"/>.</param>
    /// <param name="workflow">The body; wraps its side effects in steps.</param>
    /// <param name="options">Options of this run; validated and copied when the run starts. <see langword="null"/> uses the runner's.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    /// <exception cref="InvalidOperationException">The same workflow id is already running in this runner.</exception>
    public async Task<WorkflowResult<TResult>> RunAsync<TInput, TResult>(string workflowId, TInput input,
        Func<WorkflowContext, TInput, CancellationToken, Task<TResult>> workflow,
        WorkflowRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        DurableValidation.Id(nameof(workflowId), workflowId);
        ArgumentNullException.ThrowIfNull(workflow);
        options = Taken(options) ?? _defaultRunOptions;
        cancellationToken.ThrowIfCancellationRequested();

        lock (_lock)
        {
            if (!_running.Add(workflowId))
            {
                throw new InvalidOperationException($"Workflow '{workflowId}' is already running in this WorkflowRunner; await that run first.");
            }
        }

        var started = _timeProvider.GetTimestamp();
        WorkflowInfo? record = null;
        WorkflowContext? context = null;
        try
        {
            var now = _timeProvider.GetUtcNow();
            var existing = await _store.GetWorkflowAsync(workflowId, cancellationToken).ConfigureAwait(false);
            Dictionary<string, WorkflowStepRecord> stored;
            if (options.ResumeFromCheckpoint)
            {
                var steps = await _store.GetStepsAsync(workflowId, cancellationToken).ConfigureAwait(false);
                stored = WorkflowContext.VerifyStored(workflowId, steps, _logger);
            }
            else
            {
                await _store.DeleteStepsAsync(workflowId, cancellationToken).ConfigureAwait(false);
                stored = new Dictionary<string, WorkflowStepRecord>(StringComparer.Ordinal);
            }

            record = new WorkflowInfo(workflowId, WorkflowStatus.Running, existing?.CreatedAt ?? now, now,
                (existing?.RunCount ?? 0) + 1, stored.Count, null);
            await _store.SaveWorkflowAsync(record, cancellationToken).ConfigureAwait(false);
            Log.WorkflowStarted(_logger, workflowId, record.RunCount, stored.Count);

            context = new WorkflowContext(workflowId, record.RunCount, _store, _executor, _timeProvider, options, stored, cancellationToken);
            var value = await workflow(context, input, cancellationToken).ConfigureAwait(false);

            await _store.SaveWorkflowAsync(record with
            {
                Status = WorkflowStatus.Completed,
                UpdatedAt = _timeProvider.GetUtcNow(),
                CompletedSteps = context.CompletedSteps,
            }, cancellationToken).ConfigureAwait(false);
            Log.WorkflowCompleted(_logger, workflowId, context.StepsReplayed, context.StepsExecuted);
            return new WorkflowResult<TResult>(workflowId, record.RunCount, true, value, null,
                context.StepsReplayed, context.StepsExecuted, _timeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.WorkflowCancelled(_logger, workflowId);
            await TryRecordEndAsync(record, context, WorkflowStatus.Cancelled, null).ConfigureAwait(false);
            throw;
        }
#pragma warning disable CA1031 // a workflow's failure is its result, never an exception out of RunAsync
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.WorkflowFailed(_logger, workflowId, context?.StepsReplayed ?? 0, context?.StepsExecuted ?? 0, ex);
            await TryRecordEndAsync(record, context, WorkflowStatus.Failed, ex).ConfigureAwait(false);
            return new WorkflowResult<TResult>(workflowId, record?.RunCount ?? 0, false, default, ex,
                context?.StepsReplayed ?? 0, context?.StepsExecuted ?? 0, _timeProvider.GetElapsedTime(started));
        }
        finally
        {
            lock (_lock)
            {
                _running.Remove(workflowId);
            }
        }
    }

    /// <summary>Reads the record of a workflow.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when the workflow never ran (or was deleted).</returns>
    public async Task<WorkflowInfo?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
        => await _store.GetWorkflowAsync(workflowId, cancellationToken).ConfigureAwait(false);

    /// <summary>Lists the recorded workflows, most recently updated first.</summary>
    /// <param name="status">Only workflows in this state; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    public async Task<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(WorkflowStatus? status = null, CancellationToken cancellationToken = default)
    {
        var all = await _store.ListWorkflowsAsync(cancellationToken).ConfigureAwait(false);
        return [.. all.Where(w => status is null || w.Status == status).OrderByDescending(w => w.UpdatedAt)];
    }

    /// <summary>Deletes a workflow: its record, stored steps and checkpoints. Its next run starts afresh.</summary>
    /// <param name="workflowId">The workflow's id.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when a record was deleted.</returns>
    public async Task<bool> DeleteWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
        => await _store.DeleteWorkflowAsync(workflowId, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Deletes finished workflows (completed; also failed when <paramref name="includeFailed"/>) whose record was last
    /// updated more than <paramref name="retention"/> ago, with their steps and checkpoints.
    /// </summary>
    /// <param name="retention">How long finished workflows are kept; at least zero.</param>
    /// <param name="includeFailed">Whether failed workflows older than the retention are deleted too (they can no longer be resumed).</param>
    /// <param name="cancellationToken">Cancels the cleanup.</param>
    /// <returns>How many workflows were deleted.</returns>
    public async Task<int> CleanupAsync(TimeSpan retention, bool includeFailed = false, CancellationToken cancellationToken = default)
    {
        Guard.AtLeast(retention, TimeSpan.Zero, "CleanupAsync");
        var cutoff = _timeProvider.GetUtcNow() - retention;
        var deleted = 0;
        foreach (var workflow in await _store.ListWorkflowsAsync(cancellationToken).ConfigureAwait(false))
        {
            var finished = workflow.Status == WorkflowStatus.Completed || (includeFailed && workflow.Status == WorkflowStatus.Failed);
            if (finished && workflow.UpdatedAt <= cutoff
                && await _store.DeleteWorkflowAsync(workflow.WorkflowId, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        Log.WorkflowsCleanedUp(_logger, deleted, cutoff);
        return deleted;
    }

    /// <summary>A validated copy, so a caller changing its object later cannot change a run (or a runner) under way.</summary>
    private static WorkflowRunOptions? Taken(WorkflowRunOptions? options)
    {
        var copy = options?.Clone();
        copy?.Validate();
        return copy;
    }

    private async Task TryRecordEndAsync(WorkflowInfo? record, WorkflowContext? context, WorkflowStatus status, Exception? error)
    {
        if (record is null)
        {
            return; // the store failed before the run was recorded
        }

        try
        {
            await _store.SaveWorkflowAsync(record with
            {
                Status = status,
                UpdatedAt = _timeProvider.GetUtcNow(),
                CompletedSteps = context?.CompletedSteps ?? record.CompletedSteps,
                Error = error is null ? null : SecretRedactor.RedactText($"{error.GetType().FullName}: {error.Message}"),
            }, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the run's own outcome matters more than recording it; the store error is logged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.WorkflowRecordFailed(_logger, record.WorkflowId, status, ex);
        }
    }
}
