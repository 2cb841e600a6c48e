using System.Globalization;
using Steadfast.AI.Creative;

namespace Steadfast.AI.Tests.Creative;

/// <summary>What the tests look at on the host around a sandboxed run: processes left behind, files planted, a listener, a secret.</summary>
internal static class SandboxProbe
{
    /// <summary>Where hostile programs try to leave a file; none may exist on the host after a run.</summary>
    public static readonly string[] EscapeTargets =
    [
        "/tmp/steadfast-escape.txt", "/var/tmp/steadfast-escape.txt", "/root/steadfast-escape.txt", "/work/steadfast-escape.txt",
        "/usr/share/dotnet/steadfast-escape.txt", "/tmp/shadow-link",
    ];

    public static GeneratedCodeOptions Options() => new() { Timeout = TimeSpan.FromSeconds(5), CpuSeconds = 2 };

    public static SandboxRunner NewRunner(GeneratedCodeOptions? options = null)
    {
        var o = options ?? Options();
        var environment = SandboxEnvironment.Detect(o);
        Assert.True(environment.Available, "The sandbox tests need bwrap and prlimit (scripts/test.sh installs bubblewrap): " + environment.Unavailable);
        return new SandboxRunner(environment, o, TimeProvider.System);
    }

    public static CompiledProgram Compile(string source, bool allowUnsafe)
    {
        var (image, errors) = CodeCompiler.Emit(CodeCompiler.CreateCompilation(source, allowUnsafe));
        Assert.True(image is not null, "does not compile: " + string.Join("; ", errors));
        return new CompiledProgram(image, source);
    }

    /// <summary>Processes the sandbox could leave behind: descendants of this process, and processes of the sandbox user.</summary>
    public static int SandboxProcesses() => SandboxProcessList().Count;

    /// <summary>The processes counted by <see cref="SandboxProcesses"/>, as "pid command".</summary>
    public static List<string> SandboxProcessList()
    {
        var parents = new Dictionary<int, int>();
        var sandboxUser = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                var uid = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                if (uid == SandboxEnvironment.SandboxUserId.ToString(CultureInfo.InvariantCulture))
                {
                    sandboxUser.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or IndexOutOfRangeException)
            {
                // The process ended while it was read.
            }
        }

        var me = Environment.ProcessId;
        return [.. parents.Keys.Where(pid => IsDescendant(pid, me, parents)).Union(sandboxUser).Order().Select(Describe)];
    }

    private static string Describe(int pid)
    {
        try
        {
            return pid.ToString(CultureInfo.InvariantCulture) + " " + File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ') + " [" + File.ReadAllText($"/proc/{pid}/stat").Trim() + "]";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return pid.ToString(CultureInfo.InvariantCulture) + " (ended)";
        }
    }

    private static bool IsDescendant(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var i = 0; i < 64 && parents.TryGetValue(pid, out var parent) && parent > 1; i++)
        {
            if (parent == ancestor)
            {
                return true;
            }

            pid = parent;
        }

        return false;
    }
}
