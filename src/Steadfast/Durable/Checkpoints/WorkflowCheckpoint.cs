using System.Text.Json;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Saves and restores the state of one long-running job so it survives a process crash. Each save is a new
/// checkpoint (sequence number, time, size, SHA-256 checksum, format version); the newest
/// <see cref="CheckpointOptions.MaxCheckpoints"/> are kept. <see cref="LoadAsync"/> returns the newest checkpoint
/// whose checksum matches, skipping corrupt ones with a warning.
/// </summary>
/// <typeparam name="TState">The state; serialized with System.Text.Json.</typeparam>
public sealed class WorkflowCheckpoint<TState> : IAsyncDisposable
{
    private readonly ICheckpointStore _store;
    private readonly CheckpointOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private CancellationTokenSource? _autoCts;
    private Task? _autoLoop;
    private Func<TState>? _autoGetState;

    /// <summary>Creates the checkpoint of one workflow.</summary>
    /// <param name="store">Where checkpoints are kept.</param>
    /// <param name="workflowId">The workflow's id (at most 200 characters); checkpoints of the same id are shared across processes.</param>
    /// <param name="options">Options; validated and copied here, so later changes to the object have no effect. <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock and timers; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="workflowId"/> is empty or longer than 200 characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public WorkflowCheckpoint(ICheckpointStore store, string workflowId, CheckpointOptions? options = null,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        DurableValidation.Id(nameof(workflowId), workflowId);
        var copy = options?.Clone() ?? new CheckpointOptions();
        copy.Validate();
        WorkflowId = workflowId;
        _store = store;
        _options = copy;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateRedactingLogger("Steadfast.Durable.Checkpoint");
    }

    /// <summary>The workflow's id.</summary>
    public string WorkflowId { get; }

    /// <summary>Whether automatic checkpointing is running.</summary>
    public bool IsAutoCheckpointRunning
    {
        get
        {
            lock (_lock)
            {
                return _autoLoop is not null;
            }
        }
    }

    /// <summary>Raised (internally, for tests) after each automatic save.</summary>
    internal Action<CheckpointInfo>? AutoSaved { get; set; }

    /// <summary>Saves the state as a new checkpoint and deletes those beyond <see cref="CheckpointOptions.MaxCheckpoints"/>.</summary>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>The new checkpoint's description.</returns>
    /// <exception cref="CheckpointTooLargeException">The serialized state is over <see cref="CheckpointOptions.MaxSizeBytes"/>; nothing was written.</exception>
    public async Task<CheckpointInfo> SaveAsync(TState state, CancellationToken cancellationToken = default)
    {
        var data = DurableCodec.Serialize(state, _options.SerializerOptions);
        CheckSize(data.Length);
        var record = new CheckpointRecord(WorkflowId, 0, _timeProvider.GetUtcNow(), CheckpointConstants.FormatVersion,
            DurableCodec.Checksum(data), data);
        var sequence = await _store.AppendCheckpointAsync(record, _options.MaxCheckpoints, cancellationToken).ConfigureAwait(false);
        DurableTelemetry.CheckpointsSaved.Add(1);
        Log.CheckpointSaved(_logger, WorkflowId, sequence, data.Length);
        return (record with { Sequence = sequence }).ToInfo();
    }

    /// <summary>Loads the newest valid checkpoint. Corrupt checkpoints (checksum mismatch, unknown format, unreadable JSON) are skipped with a warning.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The state, or <see langword="null"/> (<c>default</c> for value types) when no valid checkpoint exists.</returns>
    public async Task<TState?> LoadAsync(CancellationToken cancellationToken = default)
    {
        var loaded = await LoadWithInfoAsync(cancellationToken).ConfigureAwait(false);
        return loaded is { } found ? found.State : default;
    }

    /// <summary>Loads the newest valid checkpoint with its description.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The state and the checkpoint it came from, or <see langword="null"/> when no valid checkpoint exists.</returns>
    public async Task<(TState State, CheckpointInfo Info)?> LoadWithInfoAsync(CancellationToken cancellationToken = default)
    {
        var infos = await _store.ListCheckpointsAsync(WorkflowId, cancellationToken).ConfigureAwait(false);
        foreach (var info in infos)
        {
            var record = await _store.ReadCheckpointAsync(WorkflowId, info.Sequence, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                continue; // pruned by another writer since the listing
            }

            if (TryRead(record, out var state, out var reason))
            {
                return (state, record.ToInfo());
            }

            DurableTelemetry.CheckpointsSkipped.Add(1);
            Log.CheckpointCorrupt(_logger, WorkflowId, record.Sequence, reason);
        }

        return null;
    }

    /// <summary>Lists the stored checkpoints, newest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoints' descriptions.</returns>
    public async Task<IReadOnlyList<CheckpointInfo>> ListAsync(CancellationToken cancellationToken = default)
        => await _store.ListCheckpointsAsync(WorkflowId, cancellationToken).ConfigureAwait(false);

    /// <summary>Deletes every checkpoint of this workflow (for example once it finished).</summary>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>How many checkpoints were deleted.</returns>
    public async Task<int> ClearAsync(CancellationToken cancellationToken = default)
        => await _store.DeleteCheckpointsAsync(WorkflowId, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Saves <paramref name="getState"/>'s result every <see cref="CheckpointOptions.AutoCheckpointInterval"/> until
    /// <see cref="StopAutoCheckpointAsync"/> (which saves once more). A failed automatic save is logged and retried at the next interval.
    /// </summary>
    /// <param name="getState">Returns the current state; called on a timer thread, so it must be thread-safe.</param>
    /// <exception cref="InvalidOperationException">Automatic checkpointing is already running.</exception>
    public void StartAutoCheckpoint(Func<TState> getState)
    {
        ArgumentNullException.ThrowIfNull(getState);
        var cts = new CancellationTokenSource();
        lock (_lock)
        {
            if (_autoLoop is not null)
            {
                cts.Dispose();
                throw new InvalidOperationException($"Automatic checkpointing of workflow '{WorkflowId}' is already running; call StopAutoCheckpointAsync first.");
            }

            _autoCts = cts;
            _autoGetState = getState;
            _autoLoop = Task.Run(() => AutoLoopAsync(getState, cts.Token), CancellationToken.None);
        }
    }

    /// <summary>Stops automatic checkpointing and saves the current state once more. Does nothing when it is not running.</summary>
    /// <param name="cancellationToken">Cancels the final save.</param>
    /// <returns>The final checkpoint's description, or <see langword="null"/> when automatic checkpointing was not running.</returns>
    public async Task<CheckpointInfo?> StopAutoCheckpointAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? cts;
        Task? loop;
        Func<TState>? getState;
        lock (_lock)
        {
            (cts, loop, getState) = (_autoCts, _autoLoop, _autoGetState);
            (_autoCts, _autoLoop, _autoGetState) = (null, null, null);
        }

        if (cts is null || loop is null || getState is null)
        {
            return null;
        }

        await cts.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        cts.Dispose();
        return await SaveAsync(getState(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops automatic checkpointing, saving once more, if it is running. Idempotent.</summary>
    /// <returns>A task that completes when the final save is done.</returns>
    public async ValueTask DisposeAsync() => await StopAutoCheckpointAsync().ConfigureAwait(false);

    private async Task AutoLoopAsync(Func<TState> getState, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.AutoCheckpointInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                var info = await SaveAsync(getState(), cancellationToken).ConfigureAwait(false);
                AutoSaved?.Invoke(info);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed background save must not kill the loop: it is logged and tried again
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.AutoCheckpointFailed(_logger, WorkflowId, ex);
            }
        }
    }

    private void CheckSize(long size)
    {
        if (size > _options.MaxSizeBytes)
        {
            DurableTelemetry.CheckpointsRefused.Add(1);
            Log.CheckpointRefused(_logger, WorkflowId, size, _options.MaxSizeBytes);
            throw new CheckpointTooLargeException(WorkflowId, size, _options.MaxSizeBytes);
        }

        if (size > _options.WarnSizeBytes)
        {
            Log.CheckpointLarge(_logger, WorkflowId, size, _options.WarnSizeBytes);
        }
    }

    private bool TryRead(CheckpointRecord record, out TState state, out string reason)
    {
        state = default!;
        if (record.FormatVersion != CheckpointConstants.FormatVersion)
        {
            reason = $"unknown format version {record.FormatVersion}";
            return false;
        }

        if (!DurableCodec.Verify(record.Data.Span, record.Checksum))
        {
            reason = "checksum mismatch";
            return false;
        }

        try
        {
            state = DurableCodec.Deserialize<TState>(record.Data, _options.SerializerOptions)!;
            reason = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            reason = "unreadable JSON: " + ex.Message;
            return false;
        }
    }
}
