using static Steadfast.AI.Tests.Creative.CreativeTestKit;

namespace Steadfast.AI.Tests.Creative;

[Collection(SandboxCollection.Name)]
public sealed class GeneratedCodeSolverTests
{
    private const string Doubler = "var n = int.Parse(Console.ReadLine());\nConsole.Write(n * 2);";

    [Fact]
    public async Task ProposeStrategyAsync_ValidProgram_RunsInTheSandboxAndEndsTheExecutionWithItsOutput()
    {
        var model = new ScriptedChatClient().ThenPropose(("run_csharp_program", new Dictionary<string, object?> { ["source"] = Doubler, ["rationale"] = "compute it locally" }));
        var options = new LlmCreativeSolverOptions { AllowGeneratedCode = true, GeneratedCodeInput = _ => "21\n" };
        var solver = new LlmCreativeSolver(model, [CacheTool()], options);
        await using var engine = new ResilienceEngine(new ResilienceOptions { MaxAttempts = 1, EnableProgressTracking = false, StrategyTimeout = TimeSpan.FromSeconds(30) }) { CreativeSolver = solver };

        var result = await engine.ExecuteWithAlternativesAsync<int>([new Strategy<int>("primary", _ => Task.FromException<int>(new TimeoutException("slow")))], Operation);

        Assert.True(result.Success, string.Join("; ", solver.History.Select(e => e.Kind + " " + e.Reason)));
        Assert.Equal(42, result.Value);
        Assert.StartsWith("creative:code:", result.StrategyUsed, StringComparison.Ordinal);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.SandboxRan && e.Reason!.Contains("exited normally", StringComparison.Ordinal));
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Accepted && e.Rationale == "compute it locally");
    }

    [Fact]
    public async Task ProposeStrategyAsync_ProgramUsingForbiddenApi_IsRefusedByValidationAndNeverRuns()
    {
        var source = "System.IO.File.WriteAllText(\"/tmp/steadfast-escape.txt\", \"x\");";
        var model = new ScriptedChatClient().ThenPropose(("run_csharp_program", new Dictionary<string, object?> { ["source"] = source }));
        var solver = new LlmCreativeSolver(model, [CacheTool()], new LlmCreativeSolverOptions { AllowGeneratedCode = true });
        var time = NewTime();
        await using var engine = NewEngine(time, solver);

        var result = await RunAsync(time, engine, FailingStrategies());

        Assert.False(result.Success);
        var refused = Assert.Single(solver.History, e => e.Kind == CreativeEventKind.Refused);
        Assert.Contains("refused by validation", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("System.IO.File", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(solver.History, e => e.Kind == CreativeEventKind.SandboxRan);
    }

    [Fact]
    public async Task Restart_ProgramThatWorked_IsValidatedAgainAndReusedWithoutAskingTheModel()
    {
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        var first = await RunProgramAsync(file, new ScriptedChatClient().ThenPropose(("run_csharp_program", new Dictionary<string, object?> { ["source"] = Doubler })));

        var model = new ScriptedChatClient();
        var (second, solver) = await RunProgramWithSolverAsync(file, model);

        Assert.True(first.Success);
        Assert.True(second.Success, string.Join("; ", solver.History.Select(e => e.Kind + " " + e.Reason)));
        Assert.Equal(42, second.Value);
        Assert.Equal(first.StrategyUsed, second.StrategyUsed);
        Assert.Equal(0, model.Calls);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.SandboxRan);
    }

    [Fact]
    public async Task Restart_StoredProgramThatNoLongerPassesValidation_IsNotRun()
    {
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        var marker = Path.Combine(temp.Directory, "escaped.txt");
        var source = $"System.IO.File.WriteAllText(\"{marker}\", \"x\");";
        var name = "creative:code:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source)).AsSpan(0, 6));
        await using (var store = new SqliteCreativeProposalStore(file))
        {
            await store.SaveAsync(new CreativeProposalRecord(Operation, name, "run_csharp_program", source) { LastSucceeded = true, Successes = 1 });
        }

        var model = new ScriptedChatClient();
        var (result, solver) = await RunProgramWithSolverAsync(file, model);

        Assert.False(result.Success);
        Assert.False(File.Exists(marker));
        Assert.True(model.Calls >= 1);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Restored && e.Reason!.Contains("no longer passes validation", StringComparison.Ordinal));
        Assert.DoesNotContain(solver.History, e => e.Kind == CreativeEventKind.SandboxRan);
    }

    private static async Task<ResilienceResult<int>> RunProgramAsync(string file, ScriptedChatClient model) => (await RunProgramWithSolverAsync(file, model)).Result;

    private static async Task<(ResilienceResult<int> Result, LlmCreativeSolver Solver)> RunProgramWithSolverAsync(string file, ScriptedChatClient model)
    {
        await using var store = new SqliteCreativeProposalStore(file);
        var options = new LlmCreativeSolverOptions { AllowGeneratedCode = true, GeneratedCodeInput = _ => "21\n" };
        var solver = new LlmCreativeSolver(model, [CacheTool()], options, proposalStore: store);
        await using var engine = new ResilienceEngine(new ResilienceOptions { MaxAttempts = 1, EnableProgressTracking = false, StrategyTimeout = TimeSpan.FromSeconds(30) }) { CreativeSolver = solver };
        var result = await engine.ExecuteWithAlternativesAsync<int>([new Strategy<int>("primary", _ => Task.FromException<int>(new TimeoutException("slow")))], Operation);
        return (result, solver);
    }
}
