using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static Steadfast.AI.Tests.Creative.CreativeTestKit;

namespace Steadfast.AI.Tests.Creative;

/// <summary>Proposals survive a restart: a solver (and its store) made anew on the same real SQLite file.</summary>
public sealed class CreativeProposalPersistenceTests
{
    [Fact]
    public async Task Restart_KnownGoodProposal_IsReusedWithoutAskingTheModel()
    {
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        var first = await RunOnceAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42"))));

        var model = new ScriptedChatClient();
        var calls = new List<string>();
        var (result, solver) = await RunRestartedAsync(file, model, calls);

        Assert.True(first.Success);
        Assert.True(result.Success, result.StopReason.ToString());
        Assert.Equal(first.StrategyUsed, result.StrategyUsed);
        Assert.Equal(0, model.Calls);
        Assert.Equal(["user-42"], calls);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Restored && e.Reason!.StartsWith("1 proposal(s) restored", StringComparison.Ordinal));
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Reused && e.StrategyName == first.StrategyUsed);
    }

    [Fact]
    public async Task Restart_WithoutTheStore_AsksTheModelAgain()
    {
        using var temp = new TempDatabase();
        await RunOnceAsync(temp.File("steadfast.db"), new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42"))));

        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42")));
        var (result, _) = await RunRestartedAsync(temp.File("other.db"), model, []);

        Assert.True(result.Success);
        Assert.Equal(1, model.Calls);
    }

    [Fact]
    public async Task Restart_FailedProposal_IsRefusedWhenProposedAgain()
    {
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        var first = await RunOnceAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("bad"))));

        var calls = new List<string>();
        var (result, solver) = await RunRestartedAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("bad"))), calls);

        Assert.False(first.Success);
        Assert.False(result.Success);
        Assert.Empty(calls);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Refused && e.Reason!.Contains("a repeat of a failed strategy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_AnotherProposalAfterAFailedOne_IsAcceptedAndRuns()
    {
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        await RunOnceAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("bad"))));

        var calls = new List<string>();
        var (result, _) = await RunRestartedAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-7"))), calls);

        Assert.True(result.Success);
        Assert.Equal(["user-7"], calls);
    }

    [Fact]
    public async Task Restart_CorruptRow_IsSkippedAndCounted_AndTheModelIsAskedAgain()
    {
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        var first = await RunOnceAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42"))));
        Execute(file, "UPDATE steadfast_creative_proposals SET successes = 'many';");
        CreativeProposalSnapshot snapshot;
        StoreException corrupt;
        await using (var store = new SqliteCreativeProposalStore(file))
        {
            snapshot = await store.LoadAsync(10);
            corrupt = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync(Operation, first.StrategyUsed!).AsTask());
        }

        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42")));
        var (result, solver) = await RunRestartedAsync(file, model, []);

        Assert.Empty(snapshot.Proposals);
        Assert.Equal(1, snapshot.SkippedRows);
        Assert.Equal(StoreFailure.Corrupt, corrupt.Failure);
        Assert.True(result.Success);
        Assert.Equal(1, model.Calls);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Restored && e.Reason!.Contains("1 unreadable row(s) skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restart_RowWhoseArgumentsDoNotHashToItsName_IsNotReused()
    {
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        await RunOnceAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42"))));
        Execute(file, """UPDATE steadfast_creative_proposals SET arguments = '{"key":"admin"}';""");

        var model = new ScriptedChatClient();
        var calls = new List<string>();
        var (result, solver) = await RunRestartedAsync(file, model, calls);

        Assert.False(result.Success);
        Assert.Empty(calls);
        Assert.True(model.Calls >= 1);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Restored && e.Reason!.Contains("do not hash to its name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Save_SecretShapedArguments_AreRedactedInTheFile_AndNotReusedAfterARestart()
    {
        const string Secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB";
        Assert.NotEqual(Secret, SecretRedactor.RedactText(Secret));
        using var temp = new TempDatabase();
        var file = temp.File("steadfast.db");
        var first = await RunOnceAsync(file, new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args(Secret))));

        await using (var store = new SqliteCreativeProposalStore(file))
        {
            var kept = Assert.Single((await store.LoadAsync(10)).Proposals);
            Assert.DoesNotContain(Secret, kept.Arguments, StringComparison.Ordinal);
            Assert.Equal(first.StrategyUsed, kept.StrategyName);
        }

        var model = new ScriptedChatClient();
        var (result, _) = await RunRestartedAsync(file, model, []);
        Assert.False(result.Success);
        Assert.True(model.Calls >= 1);
    }

    [Fact]
    public async Task Restart_ForeignFile_DoesNotBreakTheExecution_AndTheModelIsAsked()
    {
        using var temp = new TempDatabase();
        var file = temp.File("notes.txt");
        await File.WriteAllTextAsync(file, "not a database, " + new string('x', 4096));

        var model = new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42")));
        var (result, solver) = await RunRestartedAsync(file, model, []);

        Assert.True(result.Success);
        Assert.Equal(1, model.Calls);
        Assert.Contains(solver.History, e => e.Kind == CreativeEventKind.Restored && e.Reason!.Contains("Foreign", StringComparison.Ordinal));
        Assert.StartsWith("not a database", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindUnknown_NameTheLearningSawSucceed_IsReadFromTheStoreWhenTheBookDoesNotKnowIt()
    {
        var time = NewTime();
        await using var store = new InMemoryCreativeProposalStore();
        var calls = new List<string>();
        var first = new LlmCreativeSolver(new ScriptedChatClient().ThenPropose(("fetch_cache_wider", Args("user-42"))), [CacheTool(calls)],
            proposalStore: store, timeProvider: time);
        await using var engine = NewEngine(time, first);
        var learned = await RunStillAsync(time, engine);

        // A second solver on the same store and the same engine, whose start-up read found nothing (it ran before the save).
        var model = new ScriptedChatClient();
        await using var empty = new InMemoryCreativeProposalStore();
        var second = new LlmCreativeSolver(model, [CacheTool(calls)], analyzer: engine.Analyzer, proposalStore: new ForwardingStore(empty, store), timeProvider: time);
        await second.EnsureLoadedAsync();
        engine.CreativeSolver = second;
        var result = await RunStillAsync(time, engine);

        Assert.True(result.Success, result.StopReason.ToString());
        Assert.Equal(learned.StrategyUsed, result.StrategyUsed);
        Assert.Equal(0, model.Calls);
    }

    private static async Task<ResilienceResult<string>> RunOnceAsync(string file, ScriptedChatClient model)
    {
        var time = NewTime();
        await using var store = new SqliteCreativeProposalStore(file);
        var solver = new LlmCreativeSolver(model, [CacheTool()], proposalStore: store, timeProvider: time);
        await using var engine = NewEngine(time, solver);
        return await RunStillAsync(time, engine);
    }

    private static async Task<(ResilienceResult<string> Result, LlmCreativeSolver Solver)> RunRestartedAsync(string file, ScriptedChatClient model, List<string> calls)
    {
        var time = NewTime();
        await using var store = new SqliteCreativeProposalStore(file);
        var solver = new LlmCreativeSolver(model, [CacheTool(calls)], proposalStore: store, timeProvider: time);
        await using var engine = NewEngine(time, solver);
        return (await RunStillAsync(time, engine), solver);
    }

    /// <summary>
    /// Runs without moving the fake clock: the strategies need no waiting (no delays), and moving it while the store does
    /// real I/O would run the execution's budgets out.
    /// </summary>
    private static async Task<ResilienceResult<string>> RunStillAsync(FakeTimeProvider time, ResilienceEngine engine)
    {
        _ = time;
        return await engine.ExecuteWithAlternativesAsync(FailingStrategies(), Operation);
    }

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    /// <summary>Loads from one store and reads single proposals from another: a start-up read that missed a proposal.</summary>
    private sealed class ForwardingStore(ICreativeProposalStore load, ICreativeProposalStore get) : ICreativeProposalStore
    {
        public ValueTask SaveAsync(CreativeProposalRecord proposal, CancellationToken cancellationToken = default) => get.SaveAsync(proposal, cancellationToken);

        public ValueTask RecordOutcomeAsync(string operation, string strategyName, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            get.RecordOutcomeAsync(operation, strategyName, succeeded, at, cancellationToken);

        public ValueTask<CreativeProposalRecord?> GetAsync(string operation, string strategyName, CancellationToken cancellationToken = default) =>
            get.GetAsync(operation, strategyName, cancellationToken);

        public ValueTask<CreativeProposalSnapshot> LoadAsync(int limit, CancellationToken cancellationToken = default) => load.LoadAsync(limit, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
