using Microsoft.Data.Sqlite;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Demo.Storage;

/// <summary>
/// <c>--fresh</c>: deletes the database at --db, but only a Steadfast database. Whose file it is, Steadfast's SQLite store
/// decides (its ownership check reads the file's mark and tables and writes nothing to a file that is not its own); anything
/// else (another application's database, a text file, random bytes) is refused and left byte for byte as it was.
/// </summary>
internal static class FreshStart
{
    /// <summary>Deletes the Steadfast database at <paramref name="path"/> and its WAL files; returns the files deleted (none when there was no database).</summary>
    /// <param name="path">The full path.</param>
    /// <param name="shown">The path as the user gave it, for messages.</param>
    /// <exception cref="CliException">The file is not a Steadfast database, or could not be checked; nothing was deleted.</exception>
    public static async Task<IReadOnlyList<string>> DeleteAsync(string path, string shown)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        await using (var store = new SqliteFailureStore(path))
        {
            try
            {
                await store.GetBlacklistAsync(includeExpired: true);
            }
            catch (StoreException ex)
            {
                var problem = StoreProblem.Of(ex);
                throw new CliException(problem.NotOurs
                    ? $"--fresh deletes only a Steadfast database, and --db '{shown}' is not one ({NotOursText(problem.Failure)}); it was left as it is."
                    : $"--fresh could not check that --db '{shown}' is a Steadfast database, so nothing was deleted: {problem.Reason}");
            }
        }

        SqliteConnection.ClearAllPools();
        var deleted = new List<string>();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
                deleted.Add(file);
            }
        }

        return deleted;
    }

    /// <summary>Why a file is not Steadfast's to use, in the words of the command line.</summary>
    public static string NotOursText(StoreFailure failure) => failure switch
    {
        StoreFailure.Incompatible => "a newer Steadfast wrote it",
        StoreFailure.Corrupt => "it is not a readable SQLite database",
        _ => "it belongs to another application, or is not a SQLite database at all",
    };
}
