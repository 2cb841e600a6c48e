using Microsoft.Data.Sqlite;

namespace Steadfast;

/// <summary>
/// The connection, write gate and prepared statements of one durable SQLite store. Operations of the store run one at
/// a time on its single connection (so they never wait on each other's SQLite locks inside the process); other
/// processes are serialised by SQLite itself (<c>BEGIN IMMEDIATE</c> plus the busy timeout).
/// </summary>
internal sealed class SqliteStoreCore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private bool _inTransaction;
    private bool _disposed;

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

    public async ValueTask<T> RunAsync<T>(string operation, Func<SqliteStoreCore, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(this);
        }
        catch (SqliteException ex)
        {
            RollbackQuietly();
            throw SqliteConnectionFactory.Error(StoreName, Path, operation, ex);
        }
        catch
        {
            RollbackQuietly();
            throw;
        }
        finally
        {
            _gate.Release();
        }
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

    public void Begin()
    {
        Execute("BEGIN IMMEDIATE;"); // takes the write lock now, so the reads inside see what the writes will change
        _inTransaction = true;
    }

    public void Commit()
    {
        Execute("COMMIT;");
        _inTransaction = false;
    }

    public void Rollback()
    {
        Execute("ROLLBACK;");
        _inTransaction = false;
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _connection.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void RollbackQuietly()
    {
        if (!_inTransaction)
        {
            return;
        }

        try
        {
            Rollback();
        }
        catch (SqliteException)
        {
            _inTransaction = false; // SQLite already rolled back (for example after SQLITE_FULL)
        }
    }
}
