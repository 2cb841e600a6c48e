using System.Globalization;
using StackExchange.Redis;
using Steadfast.Redis.Core;

namespace Steadfast;

/// <summary>
/// An <see cref="ICheckpointStore"/> on Redis, so a workflow started on one machine resumes on another. Each checkpoint is
/// one versioned JSON value with its checksum and format version, kept as given; an append numbers, stores and trims to
/// the newest N in one Lua script, so it is atomic and two machines never get the same sequence.
/// </summary>
/// <remarks>
/// A write that returned is in Redis; how durable that is depends on the server's persistence (AOF with
/// <c>appendfsync always</c> or <c>everysec</c>; see docs/redis.md). When Redis cannot be reached every call throws
/// <see cref="StoreException"/> (<see cref="StoreFailure.Unavailable"/>): a checkpoint is never reported saved when it was not.
/// </remarks>
public sealed class RedisCheckpointStore : ICheckpointStore
{
    // KEYS[1] sequence, KEYS[2] checkpoints hash; ARGV[1] the checkpoint JSON, ARGV[2] keep newest.
    private const string AppendScript = """
        local seq = redis.call('INCR', KEYS[1])
        redis.call('HSET', KEYS[2], seq, ARGV[1])
        local keep = tonumber(ARGV[2])
        for _, field in ipairs(redis.call('HKEYS', KEYS[2])) do
          if tonumber(field) <= seq - keep then redis.call('HDEL', KEYS[2], field) end
        end
        return seq
        """;

    // KEYS[1] step sequence, KEYS[2] steps hash; ARGV[1] step key, ARGV[2] the JSON with a placeholder order the script fills.
    private const string SaveStepScript = """
        local order = redis.call('INCR', KEYS[1])
        local value = string.gsub(ARGV[2], '"order":0', '"order":' .. order, 1)
        redis.call('HSET', KEYS[2], ARGV[1], value)
        return order
        """;

    private readonly RedisStoreConnection _connection;
    private readonly RedisKeys _keys;

    /// <summary>Creates the store. Does no I/O.</summary>
    /// <param name="redis">The connection; shared with the other stores, not disposed by this one.</param>
    /// <param name="options">The key prefix; validated and copied. <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisCheckpointStore(IConnectionMultiplexer redis, RedisStoreOptions? options = null)
    {
        _connection = new RedisStoreConnection(redis, options, nameof(RedisCheckpointStore));
        _keys = _connection.Keys;
    }

    /// <summary>The store's name and servers, as logs show it.</summary>
    /// <returns>For example <c>RedisCheckpointStore(127.0.0.1:6379, steadfast:)</c>.</returns>
    public override string ToString() => $"{nameof(RedisCheckpointStore)}({_connection.Location}, {_connection.Options.KeyPrefix})";

    /// <inheritdoc />
    public ValueTask<long> AppendCheckpointAsync(CheckpointRecord checkpoint, int keepNewest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepNewest, 1);
        var json = RedisJson.Write(new CheckpointJson(RedisJson.Version, checkpoint.CreatedAt, checkpoint.FormatVersion, checkpoint.Checksum, checkpoint.Data.ToArray()),
            RedisJsonContext.Default.CheckpointJson);
        return _connection.RunAsync("append a checkpoint", async db => (long)await db.ScriptEvaluateAsync(AppendScript,
            [_keys.CheckpointSequence(checkpoint.WorkflowId), _keys.Checkpoints(checkpoint.WorkflowId)], [json, keepNewest]).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var all = await _connection.RunAsync("list checkpoints", db => db.HashGetAllAsync(_keys.Checkpoints(workflowId)), cancellationToken).ConfigureAwait(false);
        return [.. all.Select(e => (Sequence: long.Parse((string)e.Name!, CultureInfo.InvariantCulture), Json: ReadCheckpoint(e.Value!)))
            .OrderByDescending(e => e.Sequence)
            .Select(e => new CheckpointInfo(e.Sequence, e.Json.CreatedAt, e.Json.Data.Length, e.Json.Checksum, e.Json.FormatVersion))];
    }

    /// <inheritdoc />
    public async ValueTask<CheckpointRecord?> ReadCheckpointAsync(string workflowId, long sequence, CancellationToken cancellationToken = default)
    {
        var value = await _connection.RunAsync("read a checkpoint", db => db.HashGetAsync(_keys.Checkpoints(workflowId), sequence), cancellationToken).ConfigureAwait(false);
        if (!value.HasValue)
        {
            return null;
        }

        var json = ReadCheckpoint(value!);
        return new CheckpointRecord(workflowId, sequence, json.CreatedAt, json.FormatVersion, json.Checksum, json.Data);
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.RunAsync("delete checkpoints", async db =>
        {
            var transaction = db.CreateTransaction();
            var count = transaction.HashLengthAsync(_keys.Checkpoints(workflowId));
            _ = transaction.KeyDeleteAsync(_keys.Checkpoints(workflowId));
            await transaction.ExecuteAsync().ConfigureAwait(false);
            return (int)await count.ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask SaveWorkflowAsync(WorkflowInfo workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var json = RedisJson.Write(new WorkflowJson(RedisJson.Version, workflow.WorkflowId, workflow.Status, workflow.CreatedAt, workflow.UpdatedAt, workflow.RunCount,
            workflow.CompletedSteps, workflow.Error), RedisJsonContext.Default.WorkflowJson);
        return _connection.ExecuteAsync("save a workflow record", db => db.HashSetAsync(_keys.Workflows, workflow.WorkflowId, json), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<WorkflowInfo?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var value = await _connection.RunAsync("read a workflow record", db => db.HashGetAsync(_keys.Workflows, workflowId), cancellationToken).ConfigureAwait(false);
        return value.HasValue ? ReadWorkflow(value!) : null;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(CancellationToken cancellationToken = default)
    {
        var all = await _connection.RunAsync("list workflow records", db => db.HashGetAllAsync(_keys.Workflows), cancellationToken).ConfigureAwait(false);
        return [.. all.Select(e => ReadWorkflow(e.Value!))];
    }

    /// <inheritdoc />
    public ValueTask SaveStepAsync(WorkflowStepRecord step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var json = RedisJson.Write(new StepJson(RedisJson.Version, 0, step.CompletedAt, step.Checksum, step.Result.ToArray()), RedisJsonContext.Default.StepJson);
        return _connection.ExecuteAsync("save a workflow step", db => db.ScriptEvaluateAsync(SaveStepScript,
            [_keys.StepSequence(step.WorkflowId), _keys.Steps(step.WorkflowId)], [step.Key, json]), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<WorkflowStepRecord>> GetStepsAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var all = await _connection.RunAsync("read workflow steps", db => db.HashGetAllAsync(_keys.Steps(workflowId)), cancellationToken).ConfigureAwait(false);
        return [.. all.Select(e => (Key: (string)e.Name!, Json: RedisJson.Read((string)e.Value!, RedisJsonContext.Default.StepJson, static j => j.V, nameof(RedisCheckpointStore), "workflow step")))
            .OrderBy(e => e.Json.Order)
            .Select(e => new WorkflowStepRecord(workflowId, e.Key, e.Json.CompletedAt, e.Json.Checksum, e.Json.Result))];
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteStepsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.RunAsync("delete workflow steps", async db =>
        {
            var transaction = db.CreateTransaction();
            var count = transaction.HashLengthAsync(_keys.Steps(workflowId));
            _ = transaction.KeyDeleteAsync([_keys.Steps(workflowId), _keys.StepSequence(workflowId)]);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            return (int)await count.ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> DeleteWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.RunAsync("delete a workflow", async db =>
        {
            var transaction = db.CreateTransaction();
            var deleted = transaction.HashDeleteAsync(_keys.Workflows, workflowId);
            _ = transaction.KeyDeleteAsync([_keys.Steps(workflowId), _keys.StepSequence(workflowId), _keys.Checkpoints(workflowId), _keys.CheckpointSequence(workflowId)]);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            return await deleted.ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Nothing to release: the multiplexer belongs to the caller. Present because every store is <see cref="IAsyncDisposable"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CheckpointJson ReadCheckpoint(string json)
        => RedisJson.Read(json, RedisJsonContext.Default.CheckpointJson, static j => j.V, nameof(RedisCheckpointStore), "checkpoint");

    private static WorkflowInfo ReadWorkflow(string json)
    {
        var j = RedisJson.Read(json, RedisJsonContext.Default.WorkflowJson, static j => j.V, nameof(RedisCheckpointStore), "workflow record");
        return new WorkflowInfo(j.WorkflowId, j.Status, j.CreatedAt, j.UpdatedAt, j.RunCount, j.CompletedSteps, j.Error);
    }
}
