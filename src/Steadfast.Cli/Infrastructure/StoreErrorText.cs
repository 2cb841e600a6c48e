namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// Words a store's trouble for the operator at the command line: one line that names <c>--db</c> and the path as they
/// typed it (not the library's parameter or store type), says what happened to the file and what to do.
/// </summary>
internal static class StoreErrorText
{
    public static string Describe(StoreException exception, string? db)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var file = $"--db '{db ?? exception.Location}'";
        return exception.Failure switch
        {
            StoreFailure.Foreign =>
                $"{file} is not a Steadfast database (another application's database, or not a database at all); it was left as it is. " +
                "Point --db at a Steadfast database or at a new file.",
            StoreFailure.Corrupt => $"{file} is damaged (SQLite reports corruption); it was left as it is. Move it aside or restore a backup.",
            StoreFailure.Incompatible => $"{file} was written by a newer Steadfast; it was left as it is. Use a newer steadfast command.",
            StoreFailure.Outdated =>
                $"{file} was written by an older Steadfast and read commands never upgrade a database; it was left as it is. " +
                $"Run 'steadfast upgrade --db {db}' once, then try again.",
            StoreFailure.Missing => $"no Steadfast database here: {file} holds no Steadfast data; nothing was created. Run 'steadfast demo' to create one.",
            StoreFailure.ReadOnly => $"{file} (or its folder) cannot be written by this user; nothing was changed. Make it writable or point --db elsewhere.",
            StoreFailure.Full => $"the disk holding {file} is full; nothing was changed. Free space or run 'steadfast cleanup'.",
            StoreFailure.Locked => $"{file} stayed locked by another process; nothing was changed. Try again when it finishes.",
            _ => $"{file}: {exception.Message}",
        };
    }
}
