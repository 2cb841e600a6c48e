using System.Runtime.InteropServices;

namespace Steadfast.AI.Creative;

/// <summary>
/// What the sandbox needs on this machine, found once: <c>bwrap</c>, <c>prlimit</c>, <c>setpriv</c> when running as root
/// (to run the program as nobody, so the process limit applies: the kernel does not count root's processes), the
/// <c>dotnet</c> host and the runtime's directory, and the library directories the runtime loads from. When something is
/// missing, <see cref="Unavailable"/> says what, and generated code is refused: it never runs unsandboxed.
/// </summary>
internal sealed record SandboxEnvironment(
    string? Unavailable, string Bwrap, string Prlimit, string? Setpriv, string DotnetHost, string DotnetRoot, IReadOnlyList<string> LibraryPaths)
{
    /// <summary>The user the program runs as when Steadfast runs as root.</summary>
    public const int SandboxUserId = 65534;

    private static readonly string[] LibraryCandidates =
    [
        "/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    ];

    public bool Available => Unavailable is null;

    public static SandboxEnvironment Detect(GeneratedCodeOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Missing("the sandbox needs Linux (bwrap); generated code is refused, never run unsandboxed");
        }

        var bwrap = Find(options.BwrapPath, "bwrap");
        if (bwrap is null)
        {
            return Missing($"bwrap was not found ({options.BwrapPath ?? "on PATH"}); install bubblewrap. Generated code is refused, never run unsandboxed");
        }

        var prlimit = Find(options.PrlimitPath, "prlimit");
        if (prlimit is null)
        {
            return Missing($"prlimit was not found ({options.PrlimitPath ?? "on PATH"}); install util-linux. Generated code is refused, never run unsandboxed");
        }

        string? setpriv = null;
        if (Environment.IsPrivilegedProcess)
        {
            setpriv = Find(null, "setpriv");
            if (setpriv is null)
            {
                return Missing("running as root and setpriv was not found: the process limit could not be enforced. Generated code is refused");
            }
        }

        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/');
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var host = Path.Combine(root, "dotnet");
        if (!File.Exists(host))
        {
            return Missing($"the dotnet host was not found at {host}; generated code is refused");
        }

        var libraries = LibraryCandidates
            .Where(p => (Directory.Exists(p) || new FileInfo(p).LinkTarget is not null) && !UnderLink(p))
            .ToList();
        return new SandboxEnvironment(null, bwrap, prlimit, setpriv, host, root, libraries);
    }

    /// <summary>Whether a parent of the path is a symbolic link (then the link itself is recreated, and the path is reached through it).</summary>
    private static bool UnderLink(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is { Length: > 1 }; parent = Path.GetDirectoryName(parent))
        {
            if (new DirectoryInfo(parent).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static SandboxEnvironment Missing(string reason) => new(reason, string.Empty, string.Empty, null, string.Empty, string.Empty, []);

    private static string? Find(string? configured, string name)
    {
        if (configured is not null)
        {
            return File.Exists(configured) ? configured : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
