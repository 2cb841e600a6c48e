using static Steadfast.AI.Tests.Creative.CreativeTestKit;

namespace Steadfast.AI.Tests.Creative;

public sealed class LlmCreativeSolverTests
{
    [Fact]
    public async Task ProposeStrategyAsync_WorkingProposal_EndsTheExecutionWithSuccessAndIsReusedNextTimeWithoutAskingTheModel()
    {
        var time = NewTime();
        var calls = new List<string>();
        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42")));
        var solver = new LlmCreativeSolver(model, [CacheTool(calls)], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        var first = await RunAsync(time, engine, FailingStrategies());
        var second = await RunAsync(time, engine, FailingStrategies());

        Assert.True(first.Success, first.StopReason.ToString());
        Assert.Equal("cached:user-42", first.Value);
        Assert.StartsWith("creative:fetch_cache_wider:", first.StrategyUsed, StringComparison.Ordinal);
        Assert.True(second.Success, second.StopReason.ToString());
        Assert.Equal(first.StrategyUsed, second.StrategyUsed);
        Assert.Equal(1, model.Calls);
        Assert.Equal(["user-42", "user-42"], calls);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Reused && e.StrategyName == first.StrategyUsed);
    }

    [Fact]
    public async Task ProposeStrategyAsync_KnownGoodProposal_IsRankedWithTheEngineLearningUnderItsStableName()
    {
        var time = NewTime();
        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42")));
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        var first = await RunAsync(time, engine, FailingStrategies());
        var learned = solver.LearnedStrategies<string>(Operation);
        var statistics = engine.Analyzer!.GetStrategyStatistics(first.StrategyUsed!, Operation);
        var next = await RunAsync(time, engine, [.. learned, .. FailingStrategies()]);

        Assert.Equal(first.StrategyUsed, Assert.Single(learned).Name);
        Assert.Equal(1, statistics.Successes);
        Assert.True(next.Success);
        Assert.Equal(first.StrategyUsed, next.StrategyUsed);
        Assert.True(1 == next.AttemptCount, string.Join(", ", next.Attempts.Select(a => a.Strategy + ":" + a.Outcome + ":" + a.SkipReason))); // ranked first by what the engine learned: the failing ones were not even tried
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task ProposeStrategyAsync_UnknownTool_IsRefusedWithTheReason()
    {
        var time = NewTime();
        var model = new ScriptedChatClient().ThenPropose(("delete_everything", Args("x")));
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        var result = await RunAsync(time, engine, FailingStrategies());

        Assert.False(result.Success);
        Assert.Equal(StopReason.AllStrategiesFailed, result.StopReason);
        var refused = Assert.Single(solver.History, e => e.Kind == CreativeEventKind.Refused);
        Assert.Contains("unknown tool 'delete_everything'", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, "expected string")]
    [InlineData("", "at least 1 characters")]
    public async Task ProposeStrategyAsync_ArgumentsAgainstTheSchema_AreRefusedWithTheReason(object key, string reason)
    {
        var time = NewTime();
        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", new Dictionary<string, object?> { ["key"] = key }));
        var calls = new List<string>();
        var solver = new LlmCreativeSolver(model, [CacheTool(calls)], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        var result = await RunAsync(time, engine, FailingStrategies());

        Assert.False(result.Success);
        Assert.Empty(calls);
        var refused = Assert.Single(solver.History, e => e.Kind == CreativeEventKind.Refused);
        Assert.Contains("do not match its schema", refused.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProposeStrategyAsync_UndeclaredArgument_IsRefused()
    {
        var time = NewTime();
        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", new Dictionary<string, object?> { ["key"] = "a", ["sql"] = "drop table" }));
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        await RunAsync(time, engine, FailingStrategies());

        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Refused && e.Reason!.Contains("'sql' is not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProposeStrategyAsync_RepeatOfAFailedProposal_IsRefusedInTheSameAndInTheNextExecution()
    {
        var time = NewTime();
        var calls = new List<string>();
        var model = new ScriptedChatClient()
            .ThenPropose(("fetch_cache_wider", Args("bad")))
            .ThenPropose(("fetch_cache_wider", new Dictionary<string, object?> { ["key"] = "bad" }))
            .ThenPropose(("fetch_cache_wider", Args("bad")));
        var solver = new LlmCreativeSolver(model, [CacheTool(calls)], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        var first = await RunAsync(time, engine, FailingStrategies());
        var second = await RunAsync(time, engine, FailingStrategies());

        Assert.False(first.Success);
        Assert.False(second.Success);
        Assert.Equal(["bad"], calls); // run once, never again
        var refusals = solver.History.Where(e => e.Kind == CreativeEventKind.Refused).Select(e => e.Reason!).ToList();
        Assert.Contains(refusals, r => r.Contains("already tried in this execution", StringComparison.Ordinal));
        Assert.Contains(refusals, r => r.Contains("a repeat of a failed strategy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProposeStrategyAsync_SameArgumentsInAnotherOrder_GetTheSameStrategyName()
    {
        var time = NewTime();
        var model = new ScriptedChatClient()
            .ThenPropose(("fetch_cache_wider", new Dictionary<string, object?> { ["key"] = "k", ["limit"] = 2 }),
                         ("fetch_cache_wider", new Dictionary<string, object?> { ["limit"] = 2, ["key"] = "k" }));
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        await RunAsync(time, engine, FailingStrategies());

        var refused = Assert.Single(solver.History, e => e.Kind == CreativeEventKind.Refused);
        Assert.Contains("earlier in the same answer", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProposeStrategyAsync_ProposalOverTheCostBudget_IsRefused_AndOneWithinItIsAccepted()
    {
        var time = NewTime();
        var expensive = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("a")));
        var cheap = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("a")));
        var refusing = new LlmCreativeSolver(expensive, [CacheTool(cost: 5m)], new LlmCreativeSolverOptions { CostBudget = 1m }, timeProvider: time);
        var accepting = new LlmCreativeSolver(cheap, [CacheTool(cost: 0.5m)], new LlmCreativeSolverOptions { CostBudget = 1m }, timeProvider: time);
        await using var engine1 = NewEngine(time, refusing, o => o.MaxApiCost = 100m);
        await using var engine2 = NewEngine(time, accepting, o => o.MaxApiCost = 100m);

        var refused = await RunAsync(time, engine1, FailingStrategies());
        var accepted = await RunAsync(time, engine2, FailingStrategies());

        Assert.False(refused.Success);
        Assert.Contains(refusing.History, e => e.Kind == CreativeEventKind.Refused && e.Reason!.Contains("over the cost budget", StringComparison.Ordinal));
        Assert.True(accepted.Success);
    }

    [Fact]
    public async Task ProposeStrategyAsync_ModelFails_TheExecutionEndsWithItsNormalStopReason()
    {
        var time = NewTime();
        var model = new ScriptedChatClient().ThenFail(new HttpRequestException("model unavailable"));
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);
        await using var without = NewEngine(time, solver: null);

        var result = await RunAsync(time, engine, FailingStrategies());
        var baseline = await RunAsync(time, without, FailingStrategies());

        Assert.Equal(baseline.StopReason, result.StopReason);
        Assert.Equal(StopReason.AllStrategiesFailed, result.StopReason);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.ModelFailed && e.Reason!.Contains("model unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProposeStrategyAsync_ModelProposesNothing_TheExecutionEndsWithItsNormalStopReason()
    {
        var time = NewTime();
        var model = new ScriptedChatClient();
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        var result = await RunAsync(time, engine, FailingStrategies());

        Assert.Equal(StopReason.AllStrategiesFailed, result.StopReason);
        Assert.True(model.Calls >= 1);
    }

    [Fact]
    public async Task ProposeStrategyAsync_Prompt_ShowsTheSituationRedacted()
    {
        var time = NewTime();
        var model = new ScriptedChatClient();
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        await RunAsync(time, engine, FailingStrategies("upstream refused api_key=sk-live-1234567890abcdef1234 for user"));

        var prompt = model.Prompts[0];
        Assert.Contains("Operation: " + Operation, prompt, StringComparison.Ordinal);
        Assert.Contains("primary", prompt, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", prompt, StringComparison.Ordinal);
        Assert.Contains("Root cause:", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live-1234567890abcdef1234", prompt, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.RedactedValue, prompt, StringComparison.Ordinal);
        var tool = Assert.Single(model.Options[0]!.Tools!);
        Assert.Equal("fetch_cache_wider", tool.Name);
    }

    [Fact]
    public async Task ProposeStrategyAsync_EveryStep_IsPublishedOnTheEventBus()
    {
        var time = NewTime();
        var bus = new RecordingEventBus();
        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42")), ("nope", Args("x")));
        var solver = new LlmCreativeSolver(model, [CacheTool()], eventBus: bus, timeProvider: time);
        await using var engine = NewEngine(time, solver);

        await RunAsync(time, engine, FailingStrategies());

        var kinds = bus.Events.OfType<CreativeSolverEvent>().Select(e => e.Kind).ToList();
        Assert.Equal([CreativeEventKind.Asked, CreativeEventKind.Proposed, CreativeEventKind.Accepted, CreativeEventKind.Proposed, CreativeEventKind.Refused, CreativeEventKind.Succeeded], kinds);
        Assert.Equal(solver.History, bus.Events.OfType<CreativeSolverEvent>());
    }

    [Fact]
    public async Task ProposeStrategyAsync_GeneratedCodeOff_IsRefusedAndNotOffered()
    {
        var time = NewTime();
        var model = new ScriptedChatClient().ThenPropose(("run_csharp_program", new Dictionary<string, object?> { ["source"] = "Console.Write(1);" }));
        var solver = new LlmCreativeSolver(model, [CacheTool()], timeProvider: time);
        await using var engine = NewEngine(time, solver);

        await RunAsync(time, engine, FailingStrategies());

        Assert.DoesNotContain(model.Options[0]!.Tools!, t => t.Name == "run_csharp_program");
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Refused && e.Reason!.Contains("generated code is off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProposeStrategyAsync_BwrapMissing_GeneratedCodeIsRefusedWithAClearReason()
    {
        var time = NewTime();
        var model = new ScriptedChatClient().ThenPropose(("run_csharp_program", new Dictionary<string, object?> { ["source"] = "Console.Write(\"\\\"ok\\\"\");" }));
        var options = new LlmCreativeSolverOptions { AllowGeneratedCode = true, GeneratedCode = { BwrapPath = "/nonexistent/bwrap" } };
        var solver = new LlmCreativeSolver(model, [CacheTool()], options, timeProvider: time);
        await using var engine = NewEngine(time, solver);

        var result = await RunAsync(time, engine, FailingStrategies());

        Assert.False(result.Success);
        Assert.Contains(model.Options[0]!.Tools!, t => t.Name == "run_csharp_program");
        var refused = Assert.Single(solver.History, e => e.Kind == CreativeEventKind.Refused);
        Assert.Contains("bwrap was not found", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("never run unsandboxed", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateToolNames_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new LlmCreativeSolver(new ScriptedChatClient(), [CacheTool(), CacheTool()]));
        Assert.Contains("fetch_cache_wider", e.Message, StringComparison.Ordinal);
    }
}
