using Microsoft.Data.Sqlite;

namespace Steadfast.Sqlite;

/// <summary>Turns what SQLite and the file system throw into one <see cref="StoreException"/> that names the store, the file and what to do.</summary>
internal static class SqliteErrors
{
    // SQLite's primary result codes (https://sqlite.org/rescode.html).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    /// <summary>Whether <paramref name="exception"/> is a storage error this class words (anything else is a bug and propagates as it is).</summary>
    public static bool IsStorageError(Exception exception)
        => exception is SqliteException or IOException or UnauthorizedAccessException or StoreException;

    /// <summary>The store exception for <paramref name="exception"/>, raised while <paramref name="store"/> tried to <paramref name="operation"/>.</summary>
    public static StoreException Translate(string store, string path, string operation, Exception exception, TimeSpan busyTimeout)
    {
        if (exception is StoreException already)
        {
            return already;
        }

        var (failure, problem) = exception switch
        {
            SqliteException { SqliteErrorCode: NotADatabase } s => (StoreFailure.Foreign,
                $"the file is not a SQLite database (SQLite error {s.SqliteErrorCode}), so it is not Steadfast's; it was left as it is. Point the store at another file."),
            SqliteException { SqliteErrorCode: Corrupt } s => (StoreFailure.Corrupt,
                $"the database is corrupt (SQLite error {s.SqliteErrorCode}). Move the file aside (Steadfast then creates a new one) or restore a backup."),
            SqliteException { SqliteErrorCode: ReadOnly } s => (StoreFailure.ReadOnly,
                $"the file or its directory is read-only (SQLite error {s.SqliteErrorCode}). Make both writable for this process or point the store at another file."),
            SqliteException { SqliteErrorCode: Busy or Locked } s => (StoreFailure.Locked,
                $"the database stayed locked by another connection for more than {busyTimeout.TotalSeconds:0.#} s (SQLite error {s.SqliteErrorCode}). Look for a process holding a long transaction."),
            SqliteException { SqliteErrorCode: Full } s => (StoreFailure.Full,
                $"the disk is full (SQLite error {s.SqliteErrorCode}). Free space or shorten the retention."),
            SqliteException { SqliteErrorCode: CantOpen } s => (StoreFailure.Unavailable,
                $"the file cannot be opened (SQLite error {s.SqliteErrorCode}). Check that its directory exists and is writable."),
            SqliteException { SqliteErrorCode: IoError } s => (StoreFailure.Unavailable,
                $"a disk I/O error occurred (SQLite error {s.SqliteErrorCode}: {s.Message}). Check the disk and free space."),
            SqliteException s => (StoreFailure.Unknown, $"SQLite error {s.SqliteErrorCode}: {s.Message}"),
            UnauthorizedAccessException => (StoreFailure.ReadOnly,
                "access to the file or its directory is denied. Make both writable for this process or point the store at another file."),
            IOException io => (StoreFailure.Unavailable, $"I/O error: {io.Message}"),
            _ => (StoreFailure.Unknown, exception.Message),
        };

        return new StoreException(failure, store, path, $"{store} could not {operation} in '{path}': {problem}", exception);
    }
}
