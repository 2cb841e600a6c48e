using System.Globalization;

namespace Steadfast.AI.Creative;

/// <summary>
/// The command line of one run: [setpriv to nobody] → prlimit (CPU seconds, address space, file size, processes, no core
/// dumps) → bwrap (every namespace unshared so no network, all capabilities dropped, environment cleared, dies with its
/// parent, new session, the program as pid 1 of its namespace; read-only binds of only the runtime and the libraries it loads; private /proc, /dev and a small
/// tmpfs /tmp; the program's directory read-only at /app) → dotnet exec. Nothing else of the machine is visible: no /etc,
/// no /home, no /root, no /usr/bin.
/// </summary>
internal static class SandboxCommand
{
    public const string AppDirectory = "/app";

    public static (string FileName, List<string> Arguments) Build(SandboxEnvironment env, GeneratedCodeOptions options, string runDirectory)
    {
        var args = new List<string>();
        string fileName;
        if (env.Setpriv is not null)
        {
            fileName = env.Setpriv;
            var id = SandboxEnvironment.SandboxUserId.ToString(CultureInfo.InvariantCulture);
            args.AddRange(["--reuid=" + id, "--regid=" + id, "--clear-groups", "--", env.Prlimit]);
        }
        else
        {
            fileName = env.Prlimit;
        }

        args.AddRange([
            Limit("cpu", options.CpuSeconds), Limit("as", options.AddressSpaceBytes), Limit("fsize", options.MaxFileBytes),
            Limit("nproc", options.MaxProcesses), "--core=0", "--", env.Bwrap,
            "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv",

            // The program is pid 1 of its namespace, reaped by bwrap itself: without it bwrap's own reaper outlives bwrap as a
            // zombie on hosts whose init does not reap (containers). When pid 1 dies, the kernel kills the rest of the namespace.
            "--as-pid-1",
        ]);

        foreach (var path in env.LibraryPaths)
        {
            if (new FileInfo(path).LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, path]);
            }
            else
            {
                args.AddRange(["--ro-bind", path, path]);
            }
        }

        args.AddRange(["--ro-bind", env.DotnetRoot, env.DotnetRoot]);
        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--size", options.TmpfsBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp"]);
        args.AddRange(["--ro-bind", runDirectory, AppDirectory, "--chdir", "/tmp"]);

        // The environment is cleared: only what the runtime needs inside is set, explicitly (no API key can leak).
        SetEnv(args, "HOME", "/tmp");
        SetEnv(args, "TMPDIR", "/tmp");
        SetEnv(args, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1");
        SetEnv(args, "DOTNET_EnableDiagnostics", "0");
        SetEnv(args, "DOTNET_gcServer", "0");
        SetEnv(args, "DOTNET_GCHeapHardLimit", "0x" + options.HeapLimitBytes.ToString("x", CultureInfo.InvariantCulture));

        // W^X double-maps executable memory through a shared-memory file the sandbox does not offer; the runtime fails to start with it.
        SetEnv(args, "DOTNET_EnableWriteXorExecute", "0");
        args.AddRange([env.DotnetHost, "exec", "--runtimeconfig", AppDirectory + "/program.runtimeconfig.json", AppDirectory + "/program.dll"]);
        return (fileName, args);
    }

    private static string Limit(string name, long value) => "--" + name + "=" + value.ToString(CultureInfo.InvariantCulture);

    private static void SetEnv(List<string> args, string name, string value) => args.AddRange(["--setenv", name, value]);
}
