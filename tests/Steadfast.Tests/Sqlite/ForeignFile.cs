using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Steadfast.Tests.Sqlite;

/// <summary>Files that are not Steadfast's, and a fingerprint of a folder that shows any change to them.</summary>
internal static class ForeignFile
{
    /// <summary>
    /// Creates a file of <paramref name="kind"/>: <c>other-app</c> (another application's database), <c>other-app-wal</c>
    /// (the same in WAL mode), <c>own-failures-table</c> (a table named like ours), <c>text</c>, <c>random</c> (bytes), or
    /// <c>marked-by-another-app</c> (a database with another application_id).
    /// </summary>
    public static void Create(string kind, string path)
    {
        switch (kind)
        {
            case "other-app":
                Execute(path, "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5);");
                break;
            case "other-app-wal":
                Execute(path, "PRAGMA journal_mode = WAL; CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5);");
                break;
            case "own-failures-table":
                // Another application's table that happens to share a name with ours.
                Execute(path, "CREATE TABLE failures (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO failures VALUES (1, 'theirs');");
                break;
            case "text":
                File.WriteAllText(path, "name,total\nalice,3\nbob,4\n" + new string('.', 200));
                break;
            case "random":
                File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(8192));
                break;
            case "marked-by-another-app":
                Execute(path, "PRAGMA application_id = 1234; CREATE TABLE t (x);");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of foreign file.");
        }
    }

    /// <summary>Every file and folder under <paramref name="directory"/> with its SHA-256: a new -wal, -shm or folder, or one changed byte, shows.</summary>
    public static string Snapshot(string directory)
        => string.Join('\n', Directory.GetFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(directory, f) + " " + (File.Exists(f) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) : "dir")));

    public static void Execute(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
