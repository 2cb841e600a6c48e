using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary>Opens the SQLite stores behind --db with the CLI's rules (read commands never create a file).</summary>
internal static class StoreAccess
{
    public static SqliteFailureStore OpenFailures(string db, bool mayCreate, TimeProvider timeProvider) =>
        new(mayCreate ? DatabasePath.ForWriting(db) : DatabasePath.RequireExisting(db), timeProvider);

    public static SqliteCircuitStateStore OpenCircuits(string db, bool mayCreate) =>
        new(mayCreate ? DatabasePath.ForWriting(db) : DatabasePath.RequireExisting(db));
}
