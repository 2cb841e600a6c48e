namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// The rules for the --db path: a read command never creates a database by accident, and a path that is a
/// directory or sits in a missing folder is reported in one line before anything is opened.
/// </summary>
internal static class DatabasePath
{
    /// <summary>The database the commands use when --db is not given.</summary>
    public const string Default = "data/steadfast.db";

    /// <summary>
    /// Returns the full path of an existing, non-empty database file, or throws the one-line "no Steadfast database here"
    /// error (exit code 1) without creating anything.
    /// </summary>
    public static string RequireExisting(string path)
    {
        var full = Validate(path);
        var file = new FileInfo(full);
        if (!file.Exists || file.Length == 0)
        {
            throw new CliException(
                $"no Steadfast database here: --db '{path}' {(file.Exists ? "is an empty file" : "does not exist")}; " +
                "run 'steadfast demo' to create one, or point --db at a Steadfast database.");
        }

        return full;
    }

    /// <summary>Returns the full path of a database that may be created, creating its folder if needed.</summary>
    public static string ForWriting(string path)
    {
        var full = Validate(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return full;
    }

    private static string Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw CliException.Usage("--db: the database path is empty.");
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw CliException.Usage($"--db: '{path}' is not a valid path ({ex.Message}).");
        }

        if (Directory.Exists(full))
        {
            throw new CliException($"--db: '{path}' is a directory, not a database file.");
        }

        return full;
    }
}
