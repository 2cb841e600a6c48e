using System.Net;
using System.Net.Sockets;
using System.Text;
using Steadfast.AI.Creative;
using Xunit.Abstractions;

namespace Steadfast.AI.Tests.Creative;

/// <summary>
/// The attack corpus (Creative/Corpus/*.cs.txt): every hostile program must be stopped by validation or contained by the
/// sandbox, and its side effect must not have happened on the host. Programs marked "sandbox: run" are also compiled
/// WITHOUT validation (unsafe allowed) and run in the sandbox, so the sandbox is tested on its own, not only the validator;
/// programs marked "validation: pass" are ones validation cannot judge (loops, allocation, output), which only the sandbox stops.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class AttackCorpusTests(ITestOutputHelper output)
{
    private const string SecretVariable = "STEADFAST_PLANTED_API_KEY";

    [Fact]
    public async Task AttackCorpus_EveryProgram_IsStoppedByValidationOrContainedByTheSandbox()
    {
        var programs = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Creative", "Corpus"), "*.cs.txt").Order(StringComparer.Ordinal).ToList();
        Assert.True(programs.Count >= 30, $"the corpus has {programs.Count} programs; at least 30 are required");
        var secret = "sk-planted-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(SecretVariable, secret);
        var shadow = ReadShadowFirstLine();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var runner = SandboxProbe.NewRunner();
        var escapes = new List<string>();
        var corpusErrors = new List<string>();
        try
        {
            foreach (var path in programs)
            {
                var attack = CorpusProgram.Read(path);
                var verdict = CodeValidator.Validate(attack.Source, 16_000);
                var line = new StringBuilder($"{attack.Name}: validation {(verdict.Allowed ? "passed" : "refused")}");
                if (attack.ExpectRefused && verdict.Allowed)
                {
                    escapes.Add($"{attack.Name}: validation let it through");
                }
                else if (!attack.ExpectRefused && !verdict.Allowed)
                {
                    corpusErrors.Add($"{attack.Name} is meant to pass validation (to test the sandbox) but was refused: {verdict.Reason}");
                }

                if (attack.RunInSandbox)
                {
                    var problems = await RunContainedAsync(runner, attack, port, secret, shadow, listener, line);
                    escapes.AddRange(problems.Select(p => $"{attack.Name}: {p}"));
                }

                output.WriteLine(line.ToString());
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(SecretVariable, null);
        }

        output.WriteLine($"programs: {programs.Count}, escapes: {escapes.Count}");
        foreach (var e in escapes)
        {
            output.WriteLine("ESCAPE " + e);
        }

        Assert.Empty(corpusErrors);
        Assert.True(escapes.Count == 0, $"escapes: {escapes.Count}\n" + string.Join("\n", escapes));
    }

    private static async Task<List<string>> RunContainedAsync(SandboxRunner runner, CorpusProgram attack, int port, string secret, string? shadow,
        TcpListener listener, StringBuilder line)
    {
        var problems = new List<string>();
        foreach (var target in SandboxProbe.EscapeTargets)
        {
            File.Delete(target);
        }

        var before = SandboxProbe.SandboxProcessList();
        var program = SandboxProbe.Compile(attack.Source, allowUnsafe: true);
        var result = await runner.RunAsync(program, port + "\n", CancellationToken.None);
        var after = SandboxProbe.SandboxProcessList();
        line.Append($"; sandbox: {result.Describe()}");

        var seen = result.Output + result.ErrorOutput;
        problems.AddRange(SandboxProbe.EscapeTargets.Where(File.Exists).Select(t => $"the file {t} was written on the host"));
        foreach (var target in SandboxProbe.EscapeTargets)
        {
            File.Delete(target);
        }

        if (seen.Contains(secret, StringComparison.Ordinal))
        {
            problems.Add("the planted API key is in its output");
        }

        if (shadow is not null && seen.Contains(shadow, StringComparison.Ordinal))
        {
            problems.Add("/etc/shadow is in its output");
        }

        if (listener.Pending())
        {
            problems.Add("it connected to the host's listener");
            using var accepted = listener.AcceptTcpClient();
        }

        if (after.Except(before).ToList() is { Count: > 0 } left)
        {
            problems.Add($"{left.Count} processes were left behind: {string.Join(", ", left)}");
        }

        if (result.Output.Length > SandboxProbe.Options().MaxOutputBytes)
        {
            problems.Add("its output was not capped");
        }

        if (attack.ExpectRun == "stopped" && result.Succeeded)
        {
            problems.Add("it was not stopped");
        }

        if (attack.ExpectRun == "timeout" && !result.TimedOut)
        {
            problems.Add("it was not killed at the wall-clock limit");
        }

        return problems;
    }

    private static string? ReadShadowFirstLine()
    {
        try
        {
            var first = File.ReadLines("/etc/shadow").FirstOrDefault();
            return first is { Length: > 8 } ? first : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // not root: the sandbox is tested on the other side effects
        }
    }
}
