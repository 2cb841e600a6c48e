using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Steadfast.Sqlite;

/// <summary>One store's hold on a shared <see cref="SqliteDatabase"/>: its module, its name in messages, and one release on dispose.</summary>
internal sealed class SqliteStoreConnection
{
    private readonly SqliteDatabase _database;
    private readonly SqliteSchemaModule _module;
    private int _disposed;

    public SqliteStoreConnection(SqliteStoreOptions options, SqliteSchemaModule module, string store, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _database = SqliteDatabase.Acquire(options, loggerFactory);
        _module = module;
        Store = store;
    }

    /// <summary>The store's type name, as messages show it.</summary>
    public string Store { get; }

    /// <summary>The full path of the file.</summary>
    public string Path => _database.Path;

    /// <summary>Runs <paramref name="work"/> in the next group commit of the file's writer.</summary>
    public ValueTask<T> WriteAsync<T>(string operation, Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _database.WriteAsync(_module, Store, operation, work, cancellationToken);
    }

    /// <summary>Runs <paramref name="read"/> on a read connection.</summary>
    public ValueTask<T> ReadAsync<T>(string operation, Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _database.ReadAsync(_module, Store, operation, read, cancellationToken);
    }

    /// <summary>Releases the file (the last store on it closes it after writing what is queued). Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _database.Release();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"SQLite '{Path}'";
}
