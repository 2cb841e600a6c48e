using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Steadfast;

/// <summary>
/// The connection and writer of one durable SQLite store, with group commit: operations are queued, and whichever
/// caller finds no write in progress becomes the writer (no thread hop when uncontended) and runs every operation
/// waiting at that moment inside a single <c>BEGIN IMMEDIATE</c> transaction, each under its own savepoint, then
/// commits once and completes them all. A caller's task completes only after the commit that holds its operation, so
/// what returned is on disk; under concurrency many operations share one commit, which is where SQLite spends most of
/// its time. Other processes are serialised by SQLite itself (<c>BEGIN IMMEDIATE</c> plus the busy timeout).
/// </summary>
internal sealed class SqliteStoreCore : IDisposable
{
    private const int MaxBatch = 512;
    private const int MaxBatchesPerWriter = 16; // draining inline keeps throughput; the bound keeps one caller from writing forever
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Operation> _operations = new();
    private readonly List<Operation> _batch = new(MaxBatch);
    private int _writing;
    private volatile bool _disposed;

    public SqliteStoreCore(string storeName, string path, bool synchronousFull, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        StoreName = storeName;
        Path = System.IO.Path.GetFullPath(path);
        _connection = SqliteConnectionFactory.Open(storeName, Path, synchronousFull);
        try
        {
            SqliteConnectionFactory.Execute(_connection, schema);
        }
        catch (SqliteException ex)
        {
            _connection.Dispose();
            throw SqliteConnectionFactory.Error(storeName, Path, "create its tables", ex);
        }
    }

    public string StoreName { get; }

    public string Path { get; }

    /// <summary>Runs <paramref name="work"/> in the next group-committed transaction; completes after the commit.</summary>
    public ValueTask<T> RunAsync<T>(string operation, Func<SqliteStoreCore, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var op = new Operation<T>(operation, work, cancellationToken);
        _operations.Enqueue(op);
        WriteWhileWork();
        return new ValueTask<T>(op.Completion.Task); // usually complete already: this caller was the writer

    }

    /// <summary>A prepared command for <paramref name="sql"/>, bound to <paramref name="parameters"/> (name, value) pairs.</summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
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
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _connection.Dispose();
        }
        finally
        {
            Interlocked.Exchange(ref _writing, 0); // a late caller becomes the writer, sees the store disposed and fails its operation
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
            op.Fail(new ObjectDisposedException(StoreName));
        }
    }

    private void RunBatch(List<Operation> batch)
    {
        try
        {
            Execute("BEGIN IMMEDIATE;"); // the write lock now, so the reads inside see what the writes will change
        }
        catch (SqliteException ex)
        {
            batch.ForEach(op => op.Fail(SqliteConnectionFactory.Error(StoreName, Path, op.Name, ex)));
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

                op.SetError(ex is SqliteException sqlite ? SqliteConnectionFactory.Error(StoreName, Path, op.Name, sqlite) : ex);
            }
        }

        try
        {
            Execute("COMMIT;");
        }
        catch (SqliteException ex)
        {
            try
            {
                Execute("ROLLBACK;");
            }
            catch (SqliteException)
            {
                // already rolled back
            }

            batch.ForEach(op => op.Fail(SqliteConnectionFactory.Error(StoreName, Path, op.Name, ex)));
            return;
        }

        batch.ForEach(op => op.Complete());
    }

    private abstract class Operation(string name)
    {
        public string Name { get; } = name;

        public abstract bool TryCancel();

        public abstract void Run(SqliteStoreCore core);

        public abstract void SetError(Exception error);

        public abstract void Fail(Exception error);

        public abstract void Complete();
    }

    private sealed class Operation<T>(string name, Func<SqliteStoreCore, T> work, CancellationToken cancellationToken) : Operation(name)
    {
        private T _result = default!;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool TryCancel()
            => cancellationToken.IsCancellationRequested && Completion.TrySetCanceled(cancellationToken);

        public override void Run(SqliteStoreCore core) => _result = work(core);

        public override void SetError(Exception error) => _error = error;

        public override void Fail(Exception error) => Completion.TrySetException(error);

        public override void Complete()
        {
            if (_error is null)
            {
                Completion.TrySetResult(_result);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }
    }
}
