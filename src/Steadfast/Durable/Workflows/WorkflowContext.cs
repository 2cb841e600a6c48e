using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Given to a workflow body by <see cref="WorkflowRunner"/>. Wrap every side effect in <see cref="StepAsync{T}(string, Func{CancellationToken, Task{T}})"/>:
/// a completed step's result is stored and, on resume, returned without running the step again.
/// </summary>
/// <remarks>
/// Steps are identified by name and occurrence (the third step named "fetch" is <c>fetch#2</c>), so the body must call
/// steps in the same order on every run; code outside steps runs again on every resume. A step interrupted by a crash
/// runs again (at least once): use <see cref="WorkflowStep.IdempotencyKey"/> for side effects.
/// </remarks>
public sealed class WorkflowContext
{
    private static readonly KeyValuePair<string, object?> Executed = new("outcome", "executed");
    private static readonly KeyValuePair<string, object?> Replayed = new("outcome", "replayed");

    private readonly ICheckpointStore _store;
    private readonly IDurableExecutor _executor;
    private readonly TimeProvider _timeProvider;
    private readonly WorkflowRunOptions _options;
    private readonly Dictionary<string, WorkflowStepRecord> _stored;
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _stepsReplayed;
    private int _stepsExecuted;
    private int _stepsStored;

    internal WorkflowContext(string workflowId, int runNumber, ICheckpointStore store, IDurableExecutor executor,
        TimeProvider timeProvider, WorkflowRunOptions options,
        Dictionary<string, WorkflowStepRecord> stored, CancellationToken cancellationToken)
    {
        WorkflowId = workflowId;
        RunNumber = runNumber;
        _store = store;
        _executor = executor;
        _timeProvider = timeProvider;
        _options = options;
        _stored = stored;
        CancellationToken = cancellationToken;
    }

    /// <summary>The workflow's id.</summary>
    public string WorkflowId { get; }

    /// <summary>Which run of this workflow id this is, 1 for the first.</summary>
    public int RunNumber { get; }

    /// <summary>The caller's cancellation token.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Completed steps replayed from the store so far in this run.</summary>
    public int StepsReplayed => Volatile.Read(ref _stepsReplayed);

    /// <summary>Steps run so far in this run.</summary>
    public int StepsExecuted => Volatile.Read(ref _stepsExecuted);

    /// <summary>Completed steps: those stored before this run plus those completed in it.</summary>
    internal int CompletedSteps => _stored.Count + Volatile.Read(ref _stepsStored);

    /// <summary>Runs a step once: returns its stored result when an earlier run completed it, otherwise runs it and stores its result.</summary>
    /// <typeparam name="T">The step's result; serialized with System.Text.Json.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="step">The step; receives the caller's cancellation token.</param>
    /// <returns>The step's result.</returns>
    public Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<T>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return StepAsync<T>(name, (_, ct) => step(ct));
    }

    /// <summary>Runs a step that returns nothing once (see <see cref="StepAsync{T}(string, Func{CancellationToken, Task{T}})"/>).</summary>
    /// <param name="name">The step's name.</param>
    /// <param name="step">The step; receives the caller's cancellation token.</param>
    /// <returns>A task that completes with the step.</returns>
    public Task StepAsync(string name, Func<CancellationToken, Task> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return StepAsync<bool>(name, async (_, ct) =>
        {
            await step(ct).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Runs a step once, giving it its <see cref="WorkflowStep"/> (with its idempotency key).</summary>
    /// <typeparam name="T">The step's result; serialized with System.Text.Json.</typeparam>
    /// <param name="name">The step's name.</param>
    /// <param name="step">The step; receives its description and the caller's cancellation token.</param>
    /// <returns>The step's result.</returns>
    public async Task<T> StepAsync<T>(string name, Func<WorkflowStep, CancellationToken, Task<T>> step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(step);
        CancellationToken.ThrowIfCancellationRequested();

        WorkflowStep info;
        WorkflowStepRecord? stored;
        lock (_lock)
        {
            var occurrence = _occurrences.GetValueOrDefault(name);
            _occurrences[name] = occurrence + 1;
            info = new WorkflowStep(WorkflowId, name, occurrence, RunNumber);
            _stored.TryGetValue(info.Key, out stored);
        }

        if (stored is not null)
        {
            T? replayed;
            try
            {
                replayed = DurableCodec.Deserialize<T>(stored.Result, _options.SerializerOptions);
            }
            catch (JsonException ex)
            {
                throw new SteadfastException(
                    $"The stored result of step '{info.Key}' of workflow '{WorkflowId}' cannot be read as {typeof(T).Name}: {ex.Message} " +
                    "The workflow code changed since the step ran; run it with ResumeFromCheckpoint = false to start afresh.", ex);
            }

            Interlocked.Increment(ref _stepsReplayed);
            DurableTelemetry.WorkflowSteps.Add(1, Replayed);
            return replayed!;
        }

        Interlocked.Increment(ref _stepsExecuted);
        DurableTelemetry.WorkflowSteps.Add(1, Executed);
        var result = await _executor.ExecuteAsync(WorkflowConstants.OperationPrefix + name, ct => step(info, ct), CancellationToken)
            .ConfigureAwait(false);

        var data = DurableCodec.Serialize(result, _options.SerializerOptions);
        if (data.Length > _options.MaxStepResultBytes)
        {
            throw new CheckpointTooLargeException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The result of step '{info.Key}' of workflow '{WorkflowId}' is {data.Length} bytes, over the limit of {_options.MaxStepResultBytes} bytes (WorkflowRunOptions.MaxStepResultBytes). It was not stored; return a reference to large data instead, or raise the limit."));
        }

        var record = new WorkflowStepRecord(WorkflowId, info.Key, _timeProvider.GetUtcNow(), DurableCodec.Checksum(data), data);
        await _store.SaveStepAsync(record, CancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _stepsStored);
        return result;
    }

    internal static string StepKey(string name, int occurrence)
        => string.Create(CultureInfo.InvariantCulture, $"{name}#{occurrence}");

    internal static Dictionary<string, WorkflowStepRecord> VerifyStored(string workflowId, IReadOnlyList<WorkflowStepRecord> steps, ILogger logger)
    {
        var valid = new Dictionary<string, WorkflowStepRecord>(steps.Count, StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (DurableCodec.Verify(step.Result.Span, step.Checksum))
            {
                valid[step.Key] = step;
            }
            else
            {
                DurableTelemetry.CheckpointsSkipped.Add(1);
                Log.StepResultCorrupt(logger, workflowId, step.Key);
            }
        }

        return valid;
    }
}
