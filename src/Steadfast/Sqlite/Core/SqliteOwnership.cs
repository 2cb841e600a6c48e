using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Steadfast.Sqlite;

/// <summary>
/// Tells Steadfast's SQLite files from everyone else's, before anything is written: a Steadfast file carries
/// <c>PRAGMA application_id</c> = <see cref="ApplicationId"/> and a layout version in <c>PRAGMA user_version</c>.
/// An empty file (or a new one) is claimed; a file that another application marked, or that holds tables Steadfast
/// never creates, is refused as <see cref="StoreFailure.Foreign"/> and left byte for byte as it was.
/// </summary>
internal static class SqliteOwnership
{
    /// <summary>"STDF" in ASCII: the mark in the database header of every file Steadfast creates.</summary>
    public const int ApplicationId = 0x53544446;

    /// <summary>The file layout this code writes: version 1 keeps one version per module in <c>steadfast_schema</c>.</summary>
    public const int LayoutVersion = 1;

    /// <summary>What files written before the mark existed may hold; a file with only these tables is an older Steadfast file.</summary>
    private static readonly HashSet<string> LegacyTables = new(StringComparer.Ordinal)
    {
        "schema_version", "failures", "failure_rollup", "blacklist", "strategy_statistics", "circuit_snapshots",
        "steadfast_checkpoints", "steadfast_workflows", "steadfast_workflow_steps", "steadfast_queue_items", "steadfast_queue_counters",
    };

    /// <summary>What the file is, as far as ownership goes.</summary>
    public enum Verdict
    {
        /// <summary>Marked as Steadfast's, with a layout this code understands.</summary>
        Ours,

        /// <summary>No tables and no mark: a new or empty file, Steadfast's to claim.</summary>
        Empty,

        /// <summary>No mark, but only tables an older Steadfast created (with its version table or its <c>steadfast_</c> tables).</summary>
        Legacy,
    }

    /// <summary>Reads the mark and the table names; throws <see cref="StoreException"/> for a file that is not Steadfast's. Writes nothing.</summary>
    public static Verdict Inspect(SqliteConnection connection, string store, string path)
    {
        // One read transaction: the mark and the tables from the same moment, even while another process claims the file.
        Execute(connection, "BEGIN;");
        Verdict verdict;
        try
        {
            verdict = InspectInTransaction(connection, store, path);
        }
        catch
        {
            Rollback(connection);
            throw;
        }

        Execute(connection, "COMMIT;");
        return verdict;
    }

    private static Verdict InspectInTransaction(SqliteConnection connection, string store, string path)
    {
        var applicationId = Convert.ToInt64(Scalar(connection, "PRAGMA application_id;"), CultureInfo.InvariantCulture);
        if (applicationId == ApplicationId)
        {
            var layout = Convert.ToInt64(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
            if (layout > LayoutVersion)
            {
                throw new StoreException(StoreFailure.Incompatible, store, path,
                    $"{store} cannot use '{path}': it was written by a newer Steadfast (file layout {layout}; this one understands up to {LayoutVersion}). " +
                    "It was left as it is. Upgrade Steadfast or point the store at another file.", null);
            }

            return Verdict.Ours;
        }

        var tables = TableNames(connection);
        if (applicationId != 0)
        {
            throw Foreign(store, path, string.Create(CultureInfo.InvariantCulture, $"it is marked as another application's database (application_id 0x{applicationId:X8})"));
        }

        if (tables.Count == 0)
        {
            return Verdict.Empty;
        }

        var unknown = tables.Where(t => !LegacyTables.Contains(t)).ToList();
        var olderSteadfast = tables.Contains("schema_version") || tables.Any(t => t.StartsWith("steadfast_", StringComparison.Ordinal));
        if (unknown.Count == 0 && olderSteadfast)
        {
            return Verdict.Legacy;
        }

        var shown = unknown.Count > 0 ? unknown : tables;
        throw Foreign(store, path, $"it holds tables Steadfast did not create ({string.Join(", ", shown.Take(3))}{(shown.Count > 3 ? ", ..." : string.Empty)})");
    }

    /// <summary>
    /// Marks an empty or older Steadfast file as Steadfast's, inside one write transaction that first looks again (another
    /// process may have claimed it, or written its own tables, since <see cref="Inspect"/>).
    /// </summary>
    public static void Claim(SqliteConnection connection, string store, string path)
    {
        // Raw BEGIN IMMEDIATE (not BeginTransaction) so the reads of Inspect run inside it without a transaction object.
        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            if (InspectInTransaction(connection, store, path) != Verdict.Ours)
            {
                Execute(connection, string.Create(CultureInfo.InvariantCulture,
                    $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {LayoutVersion};"));

                // The single version table of the first releases gives way to one version per module (their migration 1 adopts the tables).
                Execute(connection, "DROP TABLE IF EXISTS schema_version;");
            }

            Execute(connection, "CREATE TABLE IF NOT EXISTS steadfast_schema (module TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL);");
            Execute(connection, "COMMIT;");
        }
        catch
        {
            Rollback(connection);
            throw;
        }
    }

    private static StoreException Foreign(string store, string path, string why)
        => new(StoreFailure.Foreign, store, path,
            $"{store} refused '{path}': {why}, so it is not a Steadfast database. It was left as it is. Point the store at another file.", null);

    private static List<string> TableNames(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Ends a failed transaction without hiding why it failed (SQLite may have rolled it back already).</summary>
    private static void Rollback(SqliteConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK;");
        }
        catch (SqliteException)
        {
            // no transaction left to roll back
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
