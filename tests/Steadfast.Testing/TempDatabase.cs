using System.Diagnostics;

namespace Steadfast.Testing;

/// <summary>A temporary directory for real SQLite files, removed (immutable flags cleared first) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly List<string> _immutable = [];

    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "steadfast-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string File(string name = "failures.db") => Path.Combine(Directory, name);

    /// <summary>Makes a file read-only even for root (chmod alone does not stop root): chmod 444 and, where available, chattr +i.</summary>
    public bool MakeReadOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.File.SetAttributes(path, FileAttributes.ReadOnly);
            return true;
        }

        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (Environment.UserName != "root")
        {
            return true;
        }

        if (Run("chattr", "+i", path))
        {
            _immutable.Add(path);
            return true;
        }

        return false;
    }

    public void MakeWritable(string path)
    {
        if (_immutable.Remove(path))
        {
            Run("chattr", "-i", path);
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.File.SetAttributes(path, FileAttributes.Normal);
            return;
        }

        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose()
    {
        foreach (var path in _immutable.ToList())
        {
            MakeWritable(path);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
