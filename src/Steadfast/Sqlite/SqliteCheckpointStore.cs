using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using static Steadfast.SqliteConnectionFactory;

namespace Steadfast;

/// <summary>
/// An <see cref="ICheckpointStore"/> in one SQLite file (WAL): the embedded default. Every write is one transaction,
/// so a crash mid-save leaves the previous checkpoint intact; several processes may share the file.
/// </summary>
public sealed class SqliteCheckpointStore : ICheckpointStore, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS steadfast_checkpoints (
            workflow_id TEXT NOT NULL, sequence INTEGER NOT NULL, created_at INTEGER NOT NULL,
            format_version INTEGER NOT NULL, checksum TEXT NOT NULL, size_bytes INTEGER NOT NULL, data BLOB NOT NULL,
            PRIMARY KEY (workflow_id, sequence));
        CREATE TABLE IF NOT EXISTS steadfast_workflows (
            workflow_id TEXT NOT NULL PRIMARY KEY, status INTEGER NOT NULL, created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL, run_count INTEGER NOT NULL, completed_steps INTEGER NOT NULL, error TEXT);
        CREATE TABLE IF NOT EXISTS steadfast_workflow_steps (
            workflow_id TEXT NOT NULL, step_key TEXT NOT NULL, completed_at INTEGER NOT NULL,
            checksum TEXT NOT NULL, result BLOB NOT NULL, PRIMARY KEY (workflow_id, step_key));
        """;

    private readonly SqliteStoreCore _core;

    /// <summary>Opens (creating when needed) the store in a SQLite file.</summary>
    /// <param name="path">The file, for example <c>data/checkpoints.db</c>; its directory is created when missing.</param>
    /// <param name="synchronousFull">
    /// Whether every commit is fsynced (<c>PRAGMA synchronous=FULL</c>), so a save that returned also survives power
    /// loss. The default (<c>NORMAL</c>) survives a process crash and is much faster.
    /// </param>
    /// <exception cref="SteadfastException">The file cannot be opened or is not a SQLite database.</exception>
    public SqliteCheckpointStore(string path, bool synchronousFull = false)
        => _core = new SqliteStoreCore(nameof(SqliteCheckpointStore), path, synchronousFull, Schema);

    /// <summary>The full path of the file.</summary>
    public string Path => _core.Path;

    /// <inheritdoc />
    public ValueTask<long> AppendCheckpointAsync(CheckpointRecord checkpoint, int keepNewest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepNewest, 1);
        var data = WholeArray(checkpoint.Data);
        return _core.RunAsync("append a checkpoint", core =>
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
        => _core.RunAsync<IReadOnlyList<CheckpointInfo>>("list checkpoints", core =>
        {
            using var reader = core.Command("""
                SELECT sequence, created_at, size_bytes, checksum, format_version FROM steadfast_checkpoints
                WHERE workflow_id = $w ORDER BY sequence DESC;
                """, ("$w", workflowId)).ExecuteReader();
            var list = new List<CheckpointInfo>();
            while (reader.Read())
            {
                list.Add(new CheckpointInfo(reader.GetInt64(0), Time(reader.GetInt64(1)), reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4)));
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CheckpointRecord?> ReadCheckpointAsync(string workflowId, long sequence, CancellationToken cancellationToken = default)
        => _core.RunAsync("read a checkpoint", core =>
        {
            using var reader = core.Command("""
                SELECT created_at, format_version, checksum, data FROM steadfast_checkpoints
                WHERE workflow_id = $w AND sequence = $s;
                """, ("$w", workflowId), ("$s", sequence)).ExecuteReader();
            return reader.Read()
                ? new CheckpointRecord(workflowId, sequence, Time(reader.GetInt64(0)), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3))
                : null;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DeleteCheckpointsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _core.RunAsync("delete checkpoints",
            core => core.Execute("DELETE FROM steadfast_checkpoints WHERE workflow_id = $w;", ("$w", workflowId)), cancellationToken);

    /// <inheritdoc />
    public async ValueTask SaveWorkflowAsync(WorkflowInfo workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        await _core.RunAsync("save a workflow record", core => core.Execute("""
            INSERT OR REPLACE INTO steadfast_workflows (workflow_id, status, created_at, updated_at, run_count, completed_steps, error)
            VALUES ($w, $st, $c, $u, $r, $n, $e);
            """,
            ("$w", workflow.WorkflowId), ("$st", (int)workflow.Status), ("$c", Ticks(workflow.CreatedAt)), ("$u", Ticks(workflow.UpdatedAt)),
            ("$r", workflow.RunCount), ("$n", workflow.CompletedSteps), ("$e", workflow.Error)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<WorkflowInfo?> GetWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
        => _core.RunAsync("read a workflow record", core =>
        {
            using var reader = core.Command(SelectWorkflows + " WHERE workflow_id = $w;", ("$w", workflowId)).ExecuteReader();
            return reader.Read() ? ReadWorkflow(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowInfo>> ListWorkflowsAsync(CancellationToken cancellationToken = default)
        => _core.RunAsync<IReadOnlyList<WorkflowInfo>>("list workflow records", core =>
        {
            using var reader = core.Command(SelectWorkflows + ";").ExecuteReader();
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
        await _core.RunAsync("save a workflow step", core => core.Execute("""
            INSERT OR REPLACE INTO steadfast_workflow_steps (workflow_id, step_key, completed_at, checksum, result)
            VALUES ($w, $k, $t, $c, $r);
            """,
            ("$w", step.WorkflowId), ("$k", step.Key), ("$t", Ticks(step.CompletedAt)), ("$c", step.Checksum), ("$r", result)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WorkflowStepRecord>> GetStepsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _core.RunAsync<IReadOnlyList<WorkflowStepRecord>>("read workflow steps", core =>
        {
            using var reader = core.Command("""
                SELECT step_key, completed_at, checksum, result FROM steadfast_workflow_steps WHERE workflow_id = $w ORDER BY rowid;
                """, ("$w", workflowId)).ExecuteReader();
            var list = new List<WorkflowStepRecord>();
            while (reader.Read())
            {
                list.Add(new WorkflowStepRecord(workflowId, reader.GetString(0), Time(reader.GetInt64(1)), reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
            }

            return list;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> DeleteStepsAsync(string workflowId, CancellationToken cancellationToken = default)
        => _core.RunAsync("delete workflow steps",
            core => core.Execute("DELETE FROM steadfast_workflow_steps WHERE workflow_id = $w;", ("$w", workflowId)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> DeleteWorkflowAsync(string workflowId, CancellationToken cancellationToken = default)
        => _core.RunAsync("delete a workflow", core =>
        {
            core.Execute("DELETE FROM steadfast_workflow_steps WHERE workflow_id = $w;", ("$w", workflowId));
            core.Execute("DELETE FROM steadfast_checkpoints WHERE workflow_id = $w;", ("$w", workflowId));
            var deleted = core.Execute("DELETE FROM steadfast_workflows WHERE workflow_id = $w;", ("$w", workflowId)) > 0;
            return deleted;
        }, cancellationToken);

    /// <summary>Closes the file. Idempotent.</summary>
    public void Dispose() => _core.Dispose();

    private const string SelectWorkflows =
        "SELECT workflow_id, status, created_at, updated_at, run_count, completed_steps, error FROM steadfast_workflows";

    /// <summary>The bytes as an array, without copying the 10 KB+ when they already are one whole array (the usual case).</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> data)
        => MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private static WorkflowInfo ReadWorkflow(SqliteDataReader reader)
        => new(reader.GetString(0), (WorkflowStatus)reader.GetInt32(1), Time(reader.GetInt64(2)), Time(reader.GetInt64(3)),
            reader.GetInt32(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6));
}
