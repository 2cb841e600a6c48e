using Microsoft.Data.Sqlite;

namespace Steadfast.Cli.Demo.Storage;

/// <summary>What counts as the disk or the database failing (as opposed to the caller cancelling, or a bug).</summary>
internal static class StoreErrors
{
    public static bool IsStoreFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        StoreException or SqliteException or IOException or UnauthorizedAccessException => true,
        _ => false,
    };
}
