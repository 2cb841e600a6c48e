using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Steadfast.Sqlite;
using static Steadfast.Sqlite.SqliteValues;

namespace Steadfast;

/// <summary>
/// An <see cref="ICheckpointStore"/> in one SQLite file (WAL): the embedded default. Every write is one transaction,
/// so a crash mid-save leaves the previous checkpoint intact; several processes may share the file.
/// </summary>
public sealed class SqliteCheckpointStore : ICheckpointStore
{
    private readonly SqliteStoreConnection _connection;

    /// <summary>Creates the store over a SQLite file with the default settings. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="path">The file, for example <c>data/checkpoints.db</c>; its directory is created when missing.</param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public SqliteCheckpointStore(string path, ILoggerFactory? loggerFactory = null)
        : this(new SqliteStoreOptions { Path = path }, loggerFactory)
    {
    }

    /// <summary>Creates the store over a SQLite file. Does no I/O: the file is opened (and created) on first use.</summary>
    /// <param name="options">
    /// The file and its settings; validated and copied. <see cref="SqliteStoreOptions.Synchronous"/> =
    /// <see cref="SqliteSynchronousMode.Full"/> makes a save that returned survive power loss too.
    /// </param>
    /// <param name="loggerFactory">Where migrations are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SqliteCheckpointStore(SqliteStoreOptions options, ILoggerFactory? loggerFactory = null)
        => _connection = new SqliteStoreConnection(options, SqliteSchemas.Checkpoints, nameof(SqliteCheckpointStore), loggerFactory);

    /// <summary>The full path of the file.</summary>
    public string Path => _connection.Path;

    /// <inheritdoc />
    public ValueTask<long> AppendCheckpointAsync(CheckpointRecord checkpoint, int keepNewest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepNewest, 1);
        var data = WholeArray(checkpoint.Data);
        return _connection.WriteAsync("append a checkpoint", core =>
        {
            // one statement numbers and inserts the row (inside the write transaction, so no other writer interleaves)
            var sequence = (long)core.Command("""
                INSERT INTO steadfast_checkpoints (workflow_id, sequence, created_at, format_version, checksum, size_bytes, data)
                SELECT $w, COALESCE(MAX(sequence), 0) + 1, $t, $v, $c, $n, $d FROM steadfast_checkpoints WHERE workflow_id = $w
                RETURNING sequence;
                """,
                ("$w", checkpoint.WorkflowId), ("$t", Ticks(checkpoint.CreatedAt)), ("$v", checkpoint.FormatVersion),
                ("$c", checkpoint.Checksum), ("$n", data.Length), ("$d", data)).ExecuteScalar()!;
            core.Execute("DELETE FROM steadfast_checkpoints WHERE workflow_id = $w AND sequence <= $s;",
                ("$w", checkpoint.WorkflowId), ("$s", sequence - keepNewest));
            return sequence;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CheckpointInfo>> ListCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.ReadAsync<IReadOnlyList<CheckpointInfo>>("list checkpoints", c =>
        {
            using var command = Command(c, """
                SELECT sequence, created_at, size_bytes, checksum, format_version FROM steadfast_checkpoints
                WHERE workflow_id = $w ORDER BY sequence DESC;
                """, ("$w", workflowId));
            using var reader = command.ExecuteReader();
            var list = new List<CheckpointInfo>();
            while (reader.Read())
            {
                list.Add(new CheckpointInfo(reader.GetInt64(0), FromTicks(reader.GetInt64(1)), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4)));
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CheckpointRecord?> ReadCheckpointAsync(string workflowId, long sequence, CancellationToken cancellationToken = default)
        => _connection.ReadAsync("read a checkpoint", c =>
        {
            using var command = Command(c, """
                SELECT created_at, format_version, checksum, data FROM steadfast_checkpoints
                WHERE workflow_id = $w AND sequence = $s;
                """, ("$w", workflowId), ("$s", sequence));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new CheckpointRecord(workflowId, sequence, FromTicks(reader.GetInt64(0)), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3))
                : null;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DeleteCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("delete checkpoints",
            core => core.Execute("DELETE FROM steadfast_checkpoints WHERE workflow_id = $w;", ("$w", workflowId)), cancellationToken);

    /// <inheritdoc />
    public async ValueTask SaveWorkflowAsync(WorkflowInfo workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        await _connection.WriteAsync("save a workflow record", core => core.Execute("""
            INSERT OR REPLACE INTO steadfast_workflows (workflow_id, status, created_at, updated_at, run_count, completed_steps, error)
            VALUES ($w, $st, $c, $u, $r, $n, $e);
            """,
            ("$w", workflow.WorkflowId), ("$st", (int)workflow.Status), ("$c", Ticks(workflow.CreatedAt)), ("$u", Ticks(workflow.UpdatedAt)),
            ("$r", workflow.RunCount), ("$n", workflow.CompletedSteps), ("$e", workflow.Error)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<WorkflowInfo?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.ReadAsync("read a workflow record", c =>
        {
            using var command = Command(c, SelectWorkflows + " WHERE workflow_id = $w;", ("$w", workflowId));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadWorkflow(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(CancellationToken cancellationToken = default)
        => _connection.ReadAsync<IReadOnlyList<WorkflowInfo>>("list workflow records", c =>
        {
            using var command = Command(c, SelectWorkflows + ";");
            using var reader = command.ExecuteReader();
            var list = new List<WorkflowInfo>();
            while (reader.Read())
            {
                list.Add(ReadWorkflow(reader));
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask SaveStepAsync(WorkflowStepRecord step, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(step);
        var result = WholeArray(step.Result);
        await _connection.WriteAsync("save a workflow step", core => core.Execute("""
            INSERT OR REPLACE INTO steadfast_workflow_steps (workflow_id, step_key, completed_at, checksum, result)
            VALUES ($w, $k, $t, $c, $r);
            """,
            ("$w", step.WorkflowId), ("$k", step.Key), ("$t", Ticks(step.CompletedAt)), ("$c", step.Checksum), ("$r", result)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowStepRecord>> GetStepsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.ReadAsync<IReadOnlyList<WorkflowStepRecord>>("read workflow steps", c =>
        {
            using var command = Command(c, """
                SELECT step_key, completed_at, checksum, result FROM steadfast_workflow_steps WHERE workflow_id = $w ORDER BY rowid;
                """, ("$w", workflowId));
            using var reader = command.ExecuteReader();
            var list = new List<WorkflowStepRecord>();
            while (reader.Read())
            {
                list.Add(new WorkflowStepRecord(workflowId, reader.GetString(0), FromTicks(reader.GetInt64(1)), reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DeleteStepsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("delete workflow steps",
            core => core.Execute("DELETE FROM steadfast_workflow_steps WHERE workflow_id = $w;", ("$w", workflowId)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> DeleteWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
        => _connection.WriteAsync("delete a workflow", core =>
        {
            core.Execute("DELETE FROM steadfast_workflow_steps WHERE workflow_id = $w;", ("$w", workflowId));
            core.Execute("DELETE FROM steadfast_checkpoints WHERE workflow_id = $w;", ("$w", workflowId));
            var deleted = core.Execute("DELETE FROM steadfast_workflows WHERE workflow_id = $w;", ("$w", workflowId)) > 0;
            return deleted;
        }, cancellationToken);

    /// <summary>Releases the file after the writes already accepted. Idempotent.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private const string SelectWorkflows =
        "SELECT workflow_id, status, created_at, updated_at, run_count, completed_steps, error FROM steadfast_workflows";

    /// <summary>The bytes as an array, without copying the 10 KB+ when they already are one whole array (the usual case).</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> data)
        => MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private static WorkflowInfo ReadWorkflow(SqliteDataReader reader)
        => new(reader.GetString(0), (WorkflowStatus)reader.GetInt32(1), FromTicks(reader.GetInt64(2)), FromTicks(reader.GetInt64(3)),
            reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6));
}
