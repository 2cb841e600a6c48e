using Steadfast.AI.Creative;

namespace Steadfast.AI.Tests.Creative;

[Collection(SandboxCollection.Name)]
public sealed class SandboxRunnerTests
{
    [Fact]
    public async Task RunAsync_ValidatedProgram_ReadsStandardInputAndWritesStandardOutput()
    {
        var verdict = CodeValidator.Validate("var n = Console.ReadLine().Split(',').Select(int.Parse).Sum();\nConsole.Write(n);", 16_000);
        var (image, _) = CodeCompiler.Emit(verdict.Compilation!);
        var runner = SandboxProbe.NewRunner();

        var result = await runner.RunAsync(new CompiledProgram(image!, string.Empty), "1,2,39\n", CancellationToken.None);

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal("42", result.Output);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_KillsTheProgramAndThrows()
    {
        var runner = SandboxProbe.NewRunner();
        var program = SandboxProbe.Compile("while (true) { }", allowUnsafe: false);
        using var cts = new CancellationTokenSource();
        var before = SandboxProbe.SandboxProcessList();

        var run = runner.RunAsync(program, null, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(SandboxProbe.SandboxProcessList().Except(before));
    }

    [Fact]
    public void Detect_BwrapMissing_IsUnavailableWithTheReason()
    {
        var environment = SandboxEnvironment.Detect(new GeneratedCodeOptions { BwrapPath = "/nonexistent/bwrap" });

        Assert.False(environment.Available);
        Assert.Contains("bwrap was not found", environment.Unavailable, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Command_IsolatesTheProgram()
    {
        var environment = SandboxEnvironment.Detect(new GeneratedCodeOptions());
        Assert.True(environment.Available, environment.Unavailable);

        var (_, arguments) = SandboxCommand.Build(environment, new GeneratedCodeOptions(), "/tmp/run");

        Assert.Contains("--unshare-all", arguments);
        Assert.Contains("--clearenv", arguments);
        Assert.Contains("--die-with-parent", arguments);
        Assert.Contains("--new-session", arguments);
        Assert.Contains("--cpu=5", arguments);
        Assert.Contains("--as=" + (3L << 30), arguments);
        Assert.DoesNotContain("/etc", arguments);
        Assert.DoesNotContain("/usr/bin", arguments);
        var capDrop = arguments.IndexOf("--cap-drop");
        Assert.Equal("ALL", arguments[capDrop + 1]);
    }
}
