using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Steadfast.AI.Creative;

/// <summary>
/// Runs a compiled program out of process in the sandbox (<see cref="SandboxCommand"/>): its image and runtime
/// configuration in a fresh directory mounted read-only, standard input written and closed, standard output and error
/// read up to their cap (past it the process tree is killed), the whole tree killed when the wall-clock limit passes or the
/// caller cancels, and the directory deleted afterwards. Standard input and output are the program's only channel.
/// </summary>
internal sealed class SandboxRunner(SandboxEnvironment environment, GeneratedCodeOptions options, TimeProvider time)
{
    private const int ErrorBytesKept = 4096;
    private const int StopRounds = 25;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan StopRoundLength = TimeSpan.FromMilliseconds(200);

    public SandboxEnvironment Environment => environment;

    public async Task<SandboxResult> RunAsync(CompiledProgram program, string? input, CancellationToken cancellationToken)
    {
        if (!environment.Available)
        {
            throw new InvalidOperationException(environment.Unavailable);
        }

        var directory = Directory.CreateTempSubdirectory("steadfast-sandbox-");
        try
        {
            Prepare(directory.FullName, program);
            var (fileName, arguments) = SandboxCommand.Build(environment, options, directory.FullName);
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = "/",
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // Belt and braces: bwrap clears the program's environment, and the launchers get none of ours either.
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
            using var process = new Process { StartInfo = start };
            process.Start();
            return await SuperviseAsync(process, input, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private async Task<SandboxResult> SuperviseAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var exceeded = new StrongBox(process);
        var stdin = WriteInputAsync(process, input);
        var stdout = ReadCappedAsync(process.StandardOutput.BaseStream, options.MaxOutputBytes, options.MaxOutputBytes, exceeded);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream, ErrorBytesKept, options.MaxOutputBytes, exceeded);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            await StopAsync(process).ConfigureAwait(false);
        }

        // The pipes close when the last process holding them dies; the tree is dead, so this is quick. Bounded all the same.
        var drained = Task.WhenAll(stdout, stderr, stdin);
        try
        {
            await drained.WaitAsync(DrainLimit, time, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            KillTree(process);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var output = stdout.IsCompletedSuccessfully ? stdout.Result : [];
        var error = stderr.IsCompletedSuccessfully ? stderr.Result : [];
        return new SandboxResult(process.ExitCode, Encoding.UTF8.GetString(output), SecretRedactor.RedactText(Encoding.UTF8.GetString(error)),
            timedOut, exceeded.Exceeded);
    }

    /// <summary>
    /// Kills the program and waits for bwrap to reap it and exit. bwrap may not have started the program yet (a run cancelled
    /// at once), so the children are looked for again a few times before the whole tree is killed as a last resort.
    /// </summary>
    private async Task StopAsync(Process process)
    {
        for (var round = 0; round < StopRounds; round++)
        {
            Kill(process);
            using var wait = new CancellationTokenSource(StopRoundLength, time);
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Not yet: look for its children again.
            }
        }

        KillTree(process);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static void Prepare(string directory, CompiledProgram program)
    {
        var dll = Path.Combine(directory, "program.dll");
        var config = Path.Combine(directory, "program.runtimeconfig.json");
        File.WriteAllBytes(dll, program.Image);
        File.WriteAllText(config, CodeCompiler.RuntimeConfig());

        // The sandbox user (nobody, when Steadfast runs as root) must read them; nobody may write them.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(dll, readable);
        File.SetUnixFileMode(config, readable);
        File.SetUnixFileMode(directory, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    private static async Task WriteInputAsync(Process process, string? input)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited (or was killed) without reading its input.
        }
    }

    /// <summary>Keeps up to <paramref name="keep"/> bytes; past <paramref name="limit"/> bytes the process tree is killed.</summary>
    private static async Task<byte[]> ReadCappedAsync(Stream stream, int keep, int limit, StrongBox exceeded)
    {
        var kept = new MemoryStream();
        var buffer = new byte[8192];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (kept.Length < keep)
            {
                kept.Write(buffer, 0, (int)Math.Min(read, keep - kept.Length));
            }

            if (total > limit)
            {
                exceeded.Exceeded = true;
                Kill(exceeded.Process);
                break;
            }
        }

        return kept.ToArray();
    }

    /// <summary>
    /// Kills what bwrap started (the program, pid 1 of its namespace: the kernel then kills the rest of the namespace), so
    /// bwrap reaps it and exits by itself. Killing bwrap first would orphan the program to the host's init, which in a
    /// container often never reaps it: a zombie per run.
    /// </summary>
    private static void Kill(Process process)
    {
        foreach (var child in SandboxProcesses.ChildrenOf(process.Id))
        {
            SandboxProcesses.Kill(child);
        }
    }

    /// <summary>The last resort, when bwrap did not exit after its program was killed: the whole tree at once.</summary>
    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // It has exited already.
        }
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover directory in the temp folder holds only the compiled program; nothing secret.
        }
    }

    private sealed class StrongBox(Process process)
    {
        public Process Process { get; } = process;

        public volatile bool Exceeded;
    }
}
