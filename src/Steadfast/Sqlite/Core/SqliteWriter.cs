using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Steadfast.Sqlite;

/// <summary>
/// The one writer of a Steadfast SQLite file in this process, with group commit: operations are queued, and whichever
/// caller finds no write in progress becomes the writer (no thread hop when uncontended) and runs every operation
/// waiting at that moment inside a single <c>BEGIN IMMEDIATE</c> transaction, each under its own savepoint, then
/// commits once and completes them all. A caller's task completes only after the commit that holds its operation, so
/// what returned is on disk; under concurrency many operations share one commit, which is where SQLite spends most of
/// its time. Other processes are serialised by SQLite itself (<c>BEGIN IMMEDIATE</c> plus the busy timeout).
/// </summary>
/// <remarks>
/// WAL checkpoints (copying the log back into the database, with two fsyncs) run on a second connection in the
/// background every <see cref="CommitsPerWalCheckpoint"/> commits instead of inside whichever commit crossed SQLite's
/// automatic threshold: that commit used to pay milliseconds for everyone's writes. Durability does not depend on the
/// checkpoint (a committed transaction is in the WAL); SQLite's own automatic checkpoint stays on at a higher threshold
/// so the log stays bounded even when the background one cannot keep up (for example with very large rows).
/// </remarks>
internal sealed class SqliteWriter : IDisposable
{
    private const int MaxBatch = 512;
    private const int MaxBatchesPerWriter = 16; // draining inline keeps throughput; the bound keeps one caller from writing forever
    private const int CommitsPerWalCheckpoint = 128;
    private const int WalAutoCheckpointPages = 8192; // 32 MB of 4 KB pages: the safety net, far above what 128 commits usually write
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SqliteWriteOperation> _operations = new();
    private readonly List<SqliteWriteOperation> _batch = new(MaxBatch);
    private readonly TimeSpan _busyTimeout;
    private readonly Func<SqliteConnection> _openCheckpointConnection;
    private int _writing;
    private int _commitsSinceWalCheckpoint; // touched by the writer only
    private int _walCheckpointing;
    private SqliteConnection? _walConnection; // touched by whoever holds _walCheckpointing
    private volatile bool _disposed;
    private volatile bool _broken;

    public SqliteWriter(SqliteConnection connection, string path, TimeSpan busyTimeout, Func<SqliteConnection> openCheckpointConnection)
    {
        _connection = connection;
        Path = path;
        _busyTimeout = busyTimeout;
        _openCheckpointConnection = openCheckpointConnection;
        Execute($"PRAGMA wal_autocheckpoint={WalAutoCheckpointPages};");
    }

    public string Path { get; }

    /// <summary>Runs <paramref name="work"/> in the next group-committed transaction; completes after the commit.</summary>
    public ValueTask<T> RunAsync<T>(string store, string operation, Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var op = new SqliteWriteOperation<T>(store, operation, work, cancellationToken);
        _operations.Enqueue(op);
        WriteWhileWork();
        return new ValueTask<T>(op.Completion.Task); // usually complete already: this caller was the writer
    }

    /// <summary>A prepared command for <paramref name="sql"/>, bound to <paramref name="parameters"/> (name, value) pairs.</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Statement(sql);
        var bound = command.Parameters;
        if (bound.Count == parameters.Length)
        {
            // the same statement comes with the same names: set the values of the parameters bound last time
            for (var i = 0; i < parameters.Length; i++)
            {
                if (!string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
                {
                    return Rebind(command, parameters);
                }

                bound[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return command;
        }

        return Rebind(command, parameters);
    }

    private static SqliteCommand Rebind(SqliteCommand command, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>The prepared command for <paramref name="sql"/> with its parameters as the last use left them, for loops that bind by position.</summary>
    public SqliteCommand Statement(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        return command;
    }

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
        => Command(sql, parameters).ExecuteNonQuery();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        SpinWait.SpinUntil(TryBecomeWriter); // waits for a batch in progress to commit
        try
        {
            WriteQueued_NeedsWriter(); // what was accepted before Dispose is written
            SpinWait.SpinUntil(() => Interlocked.CompareExchange(ref _walCheckpointing, 1, 0) == 0); // then no checkpoint starts again
            _walConnection?.Dispose();
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _connection.Dispose(); // the last connection to close checkpoints the WAL into the file
        }
        finally
        {
            Interlocked.Exchange(ref _writing, 0); // a late caller becomes the writer, sees the store disposed and fails its operation
        }
    }

    private void CheckpointWalSoon_NeedsWriter()
    {
        if (++_commitsSinceWalCheckpoint < CommitsPerWalCheckpoint || _disposed
            || Interlocked.CompareExchange(ref _walCheckpointing, 1, 0) != 0)
        {
            return;
        }

        _commitsSinceWalCheckpoint = 0;
        ThreadPool.UnsafeQueueUserWorkItem(static core => core.CheckpointWal(), this, preferLocal: false);
    }

    private void CheckpointWal()
    {
        try
        {
            if (!_disposed)
            {
                _walConnection ??= _openCheckpointConnection();
                using var command = _walConnection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                command.ExecuteNonQuery(); // never waits for the writer
            }
        }
#pragma warning disable CA1031 // a missed checkpoint costs nothing durable: the next one, or SQLite's automatic one, catches up
        catch (Exception)
#pragma warning restore CA1031
        {
            _walConnection?.Dispose();
            _walConnection = null;
        }
        finally
        {
            Interlocked.Exchange(ref _walCheckpointing, 0);
        }
    }

    private bool TryBecomeWriter() => Interlocked.CompareExchange(ref _writing, 1, 0) == 0;

    /// <summary>
    /// Becomes the writer unless another caller is, and writes what is queued, up to <see cref="MaxBatchesPerWriter"/>
    /// batches. Whoever lets go of the writer role looks at the queue again afterwards and hands what is left to the
    /// thread pool, so no operation is left waiting and no caller stays the writer for long under a steady stream.
    /// </summary>
    private void WriteWhileWork()
    {
        if (_operations.IsEmpty || !TryBecomeWriter())
        {
            return;
        }

        try
        {
            if (_disposed)
            {
                FailQueued();
                return;
            }

            for (var i = 0; i < MaxBatchesPerWriter && !_operations.IsEmpty; i++)
            {
                WriteBatch_NeedsWriter();
            }
        }
        finally
        {
            Interlocked.Exchange(ref _writing, 0); // a full fence: the look at the queue below cannot move above it
        }

        if (!_operations.IsEmpty)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static core => core.WriteWhileWork(), this, preferLocal: false);
        }
    }

    private void WriteQueued_NeedsWriter()
    {
        while (!_operations.IsEmpty)
        {
            WriteBatch_NeedsWriter();
        }
    }

    private void WriteBatch_NeedsWriter()
    {
        _batch.Clear();
        while (_batch.Count < MaxBatch && _operations.TryDequeue(out var op))
        {
            if (!op.TryCancel())
            {
                _batch.Add(op);
            }
        }

        if (_batch.Count > 0)
        {
            RunBatch(_batch);
        }
    }

    private void FailQueued()
    {
        while (_operations.TryDequeue(out var op))
        {
            op.Fail(new ObjectDisposedException(op.Store));
        }
    }

    private void RunBatch(List<SqliteWriteOperation> batch)
    {
        try
        {
            Execute("BEGIN IMMEDIATE;"); // the write lock now, so the reads inside see what the writes will change
        }
        catch (SqliteException ex)
        {
            batch.ForEach(op => op.Fail(Error(op, ex)));
            return;
        }

        if (batch.Count == 1)
        {
            RunAlone(batch);
            return;
        }

        foreach (var op in batch)
        {
            Execute("SAVEPOINT steadfast_op;");
            try
            {
                op.Run(this);
                Execute("RELEASE steadfast_op;");
            }
#pragma warning disable CA1031 // one operation's failure is reported to its caller; the rest of the batch goes on
            catch (Exception ex)
#pragma warning restore CA1031
            {
                try
                {
                    Execute("ROLLBACK TO steadfast_op;");
                    Execute("RELEASE steadfast_op;");
                }
                catch (SqliteException)
                {
                    // the transaction is gone (SQLite rolled it back); the commit below reports it for the others
                }

                op.SetError(ex is SqliteException sqlite ? Error(op, sqlite) : ex);
            }
        }

        if (Commit(batch))
        {
            batch.ForEach(op => op.Complete());
        }
    }

    /// <summary>A batch of one needs no savepoint: its failure rolls back the whole transaction, which holds nothing else.</summary>
    private void RunAlone(List<SqliteWriteOperation> batch)
    {
        var op = batch[0];
        try
        {
            op.Run(this);
        }
#pragma warning disable CA1031 // the operation's failure is reported to its caller
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Rollback();
            op.Fail(ex is SqliteException sqlite ? Error(op, sqlite) : ex);
            return;
        }

        if (Commit(batch))
        {
            op.Complete();
        }
    }

    private bool Commit(List<SqliteWriteOperation> batch)
    {
        try
        {
            Execute("COMMIT;");
        }
        catch (SqliteException ex)
        {
            Rollback();
            batch.ForEach(op => op.Fail(Error(op, ex)));
            return false;
        }

        CheckpointWalSoon_NeedsWriter();
        return true;
    }

    private void Rollback()
    {
        try
        {
            Execute("ROLLBACK;");
        }
        catch (SqliteException)
        {
            // already rolled back
        }
    }

    /// <summary>
    /// Whether the connection failed in a way it will not recover from (the file turned read-only, vanished, or broke):
    /// the database then opens a new writer for the next write instead of failing forever.
    /// </summary>
    public bool Broken => _broken;

    private StoreException Error(SqliteWriteOperation op, Exception ex)
    {
        if (ex is SqliteException { SqliteErrorCode: 8 or 10 or 11 or 14 or 26 }) // READONLY, IOERR, CORRUPT, CANTOPEN, NOTADB
        {
            _broken = true;
        }

        return SqliteErrors.Translate(op.Store, Path, op.Name, ex, _busyTimeout);
    }
}
