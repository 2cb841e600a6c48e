using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Steadfast.Sqlite;

/// <summary>
/// How a read-only store (<see cref="SqliteStoreOptions.ReadOnly"/>) finds its tables in a file it must not change: the
/// file must be Steadfast's, and the store's module is either there at the version this code reads, or not there at all
/// (then reads see empty tables, in memory). Everything else is refused with a <see cref="StoreException"/> that says
/// which kind of trouble it is; nothing here writes.
/// </summary>
internal static class SqliteReadOnlyFile
{
    /// <summary>Whether a module's tables are in the file.</summary>
    public enum ModuleShape
    {
        /// <summary>At the version this code reads: read them.</summary>
        Present,

        /// <summary>None of the module's tables (a circuit store on a file that holds only learning): read empty tables.</summary>
        Absent,
    }

    /// <summary>Throws <see cref="StoreFailure.Missing"/> when there is no file: opening it would create one.</summary>
    public static void RequireFile(string store, string path)
    {
        if (!File.Exists(path))
        {
            throw Missing(store, path, "there is no such file");
        }
    }

    /// <summary>Reads the mark and the module's version; throws when the store cannot read the file as it is.</summary>
    public static ModuleShape Inspect(SqliteConnection connection, SqliteSchemaModule module, string store, string path)
    {
        var verdict = SqliteOwnership.Inspect(connection, store, path); // refuses foreign files and newer layouts
        if (verdict == SqliteOwnership.Verdict.Empty)
        {
            throw Missing(store, path, new FileInfo(path).Length == 0 ? "the file is empty" : "the database holds no tables");
        }

        var version = verdict == SqliteOwnership.Verdict.Ours && HasTable(connection, "steadfast_schema")
            ? Scalar(connection, "SELECT version FROM steadfast_schema WHERE module = $m;", module.Name) as long?
            : null;
        if (version is null)
        {
            var present = module.Tables.Count(t => HasTable(connection, t));
            if (present == 0)
            {
                return ModuleShape.Absent;
            }

            // The first releases wrote exactly what migration 1 creates, without a version; anything else needs the upgrade.
            version = verdict == SqliteOwnership.Verdict.Legacy && present == module.Tables.Count ? 1 : 0;
        }

        if (version > module.Version)
        {
            throw new StoreException(StoreFailure.Incompatible, store, path,
                $"{store} cannot read '{path}': its {module.Name} tables are at version {version}, newer than this Steadfast understands ({module.Version}). " +
                "It was left as it is. Upgrade Steadfast.", null);
        }

        if (version < module.Version)
        {
            throw new StoreException(StoreFailure.Outdated, store, path,
                $"{store} cannot read '{path}' as it is: its {module.Name} tables were written by an older Steadfast (version {version}; this one reads {module.Version}), " +
                "and a read-only store does not upgrade them. It was left as it is. Open it once with a writable store to upgrade it.", null);
        }

        return ModuleShape.Present;
    }

    /// <summary>A connection to a new in-memory database holding the module's tables, empty: what an absent module reads as.</summary>
    private static SqliteConnection OpenEmpty(SqliteSchemaModule module)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            foreach (var migration in module.Migrations)
            {
                using var command = connection.CreateCommand();
                command.CommandText = migration;
                command.ExecuteNonQuery();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs a read of a module that is not in the file on empty tables of its own, so it reads as empty.</summary>
    public static T ReadEmpty<T>(SqliteSchemaModule module, string store, string operation, Func<SqliteConnection, T> read)
    {
        try
        {
            using var empty = OpenEmpty(module);
            return read(empty);
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Translate(store, ":memory:", operation, ex, TimeSpan.Zero);
        }
    }

    /// <summary>The error a write through a read-only store fails with.</summary>
    public static StoreException WriteRefused(string store, string path, string operation)
        => new(StoreFailure.ReadOnly, store, path,
            $"{store} could not {operation} in '{path}': the store was opened read-only (SqliteStoreOptions.ReadOnly) and writes nothing. " +
            "Use a store without ReadOnly to write.", null);

    private static StoreException Missing(string store, string path, string why)
        => new(StoreFailure.Missing, store, path,
            $"{store} found no Steadfast database at '{path}': {why}. A read-only store creates nothing; write to it with a writable store first, " +
            "or point the store at the right file.", null);

    private static bool HasTable(SqliteConnection connection, string table)
        => Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $m;", table) is 1L;

    private static object? Scalar(SqliteConnection connection, string sql, string parameter)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$m", parameter);
        var value = command.ExecuteScalar();
        return value is long or null ? value : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
