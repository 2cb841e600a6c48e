using System.Diagnostics;

namespace Steadfast.Testing;

/// <summary>
/// Starts the crash host (tests/Steadfast.CrashHost), a real child process the crash tests kill, and reads its progress
/// lines with a hang guard. One place for the crash tests of every project (SQLite, Redis).
/// </summary>
public static class CrashHostProcess
{
    private static readonly Lazy<string> Dll = new(() =>
    {
        // .../tests/<Project>/bin/<Configuration>/net10.0/ -> .../tests/Steadfast.CrashHost/bin/<Configuration>/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var tests = testBin.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tests, "Steadfast.CrashHost", "bin", configuration, framework, "Steadfast.CrashHost.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The crash host was not built: {dll}. Build Steadfast.slnx (scripts/test.sh does).", dll);
    });

    /// <summary>Starts the crash host with its standard output and error redirected.</summary>
    /// <param name="redirectInput">Whether the test writes to the child's standard input (lockstep mode, or closing it to stop the child).</param>
    /// <param name="environment">Extra environment variables, if any.</param>
    /// <param name="args">The crash host's arguments.</param>
    /// <returns>The started process.</returns>
    public static Process Start(bool redirectInput, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(Dll.Value);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start the crash host");
    }

    /// <summary>Reads the child's next line; kills it and throws when it says nothing within <paramref name="timeout"/> (a hang guard, not a timing assertion).</summary>
    /// <param name="child">The crash host.</param>
    /// <param name="timeout">How long the child may stay silent.</param>
    /// <returns>The line, or <see langword="null"/> at the end of its output.</returns>
    public static async Task<string?> ReadLineAsync(Process child, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(child);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await child.StandardOutput.ReadLineAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill();
            throw new TimeoutException($"The crash host said nothing for {timeout}: {await child.StandardError.ReadToEndAsync()}");
        }
    }
}
