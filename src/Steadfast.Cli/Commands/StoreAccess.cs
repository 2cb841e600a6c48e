using StackExchange.Redis;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary>
/// Opens the stores behind --db with the CLI's rules: read commands open them read-only (no file, schema, mark or
/// journal-mode change, ever) and need an existing Steadfast database; write commands may create one only where the
/// command says so. A file that is not Steadfast's is refused by the store either way, untouched. With --redis the
/// Redis stores are used instead (default key prefix), on one connection for the process.
/// </summary>
internal static class StoreAccess
{
    /// <summary>Marks a store target that is a Redis connection rather than a file (<see cref="GlobalOptions.Store"/>).</summary>
    public const string RedisScheme = "redis:";

    private static readonly Lock Gate = new();
    private static IConnectionMultiplexer? _redis;

    /// <summary>The learning store, read-only.</summary>
    public static IFailureStore ReadFailures(string db, TimeProvider timeProvider)
        => IsRedis(db) ? new RedisFailureStore(Redis(db), timeProvider: timeProvider) : new SqliteFailureStore(ReadOnly(db), timeProvider);

    /// <summary>The circuit store, read-only.</summary>
    public static ICircuitStateStore ReadCircuits(string db) => IsRedis(db) ? new RedisCircuitStateStore(Redis(db)) : new SqliteCircuitStateStore(ReadOnly(db));

    /// <summary>The learning store for a write; <paramref name="mayCreate"/> says whether a new database may be made.</summary>
    public static IFailureStore WriteFailures(string db, bool mayCreate, TimeProvider timeProvider)
        => IsRedis(db) ? new RedisFailureStore(Redis(db), timeProvider: timeProvider) : new SqliteFailureStore(Writable(db, mayCreate), timeProvider);

    /// <summary>The circuit store for a write; <paramref name="mayCreate"/> says whether a new database may be made.</summary>
    public static ICircuitStateStore WriteCircuits(string db, bool mayCreate) => IsRedis(db) ? new RedisCircuitStateStore(Redis(db)) : new SqliteCircuitStateStore(Writable(db, mayCreate));

    private static bool IsRedis(string db) => db.StartsWith(RedisScheme, StringComparison.Ordinal);

    private static IConnectionMultiplexer Redis(string target)
    {
        lock (Gate)
        {
            // One connection for the process (a command opens several stores); the CLI exits when the command ends.
            return _redis ??= ConnectionMultiplexer.Connect(target[RedisScheme.Length..]);
        }
    }

    private static SqliteStoreOptions ReadOnly(string db) => new() { Path = DatabasePath.RequireExisting(db), ReadOnly = true };

    private static SqliteStoreOptions Writable(string db, bool mayCreate) =>
        new() { Path = mayCreate ? DatabasePath.ForWriting(db) : DatabasePath.RequireExisting(db) };
}
