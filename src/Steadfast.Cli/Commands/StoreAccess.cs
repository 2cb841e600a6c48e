using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary>
/// Opens the SQLite stores behind --db with the CLI's rules: read commands open them read-only (no file, schema, mark or
/// journal-mode change, ever) and need an existing Steadfast database; write commands may create one only where the
/// command says so. A file that is not Steadfast's is refused by the store either way, untouched.
/// </summary>
internal static class StoreAccess
{
    /// <summary>The learning store, read-only.</summary>
    public static SqliteFailureStore ReadFailures(string db, TimeProvider timeProvider) => new(ReadOnly(db), timeProvider);

    /// <summary>The circuit store, read-only.</summary>
    public static SqliteCircuitStateStore ReadCircuits(string db) => new(ReadOnly(db));

    /// <summary>The learning store for a write; <paramref name="mayCreate"/> says whether a new database may be made.</summary>
    public static SqliteFailureStore WriteFailures(string db, bool mayCreate, TimeProvider timeProvider) => new(Writable(db, mayCreate), timeProvider);

    /// <summary>The circuit store for a write; <paramref name="mayCreate"/> says whether a new database may be made.</summary>
    public static SqliteCircuitStateStore WriteCircuits(string db, bool mayCreate) => new(Writable(db, mayCreate));

    private static SqliteStoreOptions ReadOnly(string db) => new() { Path = DatabasePath.RequireExisting(db), ReadOnly = true };

    private static SqliteStoreOptions Writable(string db, bool mayCreate) =>
        new() { Path = mayCreate ? DatabasePath.ForWriting(db) : DatabasePath.RequireExisting(db) };
}
