using Microsoft.Extensions.AI;
using static Steadfast.AI.Tests.Chat.ChatTestKit;

namespace Steadfast.AI.Tests.Chat;

/// <summary>
/// The express route (the happy path's direct call) against the full engine route: each rule is checked on both, forced by a
/// Progress subscriber (the engine then runs every request in full, as its events must be raised), with the same expectations.
/// </summary>
public sealed class ChatExpressRouteTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_TopProviderAnswers_RecordsSuccessIntoLearningAndMarksResponse(bool express)
    {
        var primary = new ScriptedChatClient("primary").Answers("hi", input: 100, output: 50);
        var backup = new ScriptedChatClient("backup").Answers();
        var time = Time();
        time.Advance(TimeSpan.FromMilliseconds(1234.5678));
        await using var chat = Client(time,
            new ChatProvider("primary", primary) { InputTokenPrice = 0.001m, OutputTokenPrice = 0.002m },
            new ChatProvider("backup", backup) { InputTokenPrice = 0.01m, OutputTokenPrice = 0.02m });
        Route(chat, express);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal(express ? 1 : 0, chat.Express.Taken);
        Assert.Equal(("hi", 1, 0), (r.Text, primary.Calls, backup.Calls));
        Assert.Equal("primary", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(0.2m, Prop(r, SteadfastChatProperties.Cost));
        Assert.Equal(1, Prop(r, SteadfastChatProperties.Attempts));
        Assert.Equal(false, Prop(r, SteadfastChatProperties.Degraded));
        var log = Assert.IsAssignableFrom<IReadOnlyList<ChatProviderAttempt>>(Prop(r, SteadfastChatProperties.AttemptLog));
        Assert.Equal(new ChatProviderAttempt("primary", true, null, null, 0.2m), Assert.Single(log));
        var stats = chat.Engine.Analyzer!.GetStrategyStatistics("primary", "chat");
        Assert.Equal((1L, 0L), (stats.Successes, stats.Failures));
        Assert.Equal(time.GetUtcNow(), stats.LastSuccessAt); // the express route's time, from the timestamp it read, is exact
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_FreeProviderAnswersTwice_EachResponseHasItsOwnMarks(bool express)
    {
        await using var chat = Client(Time(), new ChatProvider("local", new ScriptedChatClient("local").Answers().Answers()));
        Route(chat, express);

        var first = await chat.GetResponseAsync("hello");
        var second = await chat.GetResponseAsync("hello");
        first.AdditionalProperties!["mine"] = "first only";
        first.AdditionalProperties[SteadfastChatProperties.Provider] = "changed by the caller";

        Assert.Equal(express ? 2 : 0, chat.Express.Taken);
        Assert.NotSame(first.AdditionalProperties, second.AdditionalProperties);
        Assert.False(second.AdditionalProperties!.ContainsKey("mine"));
        Assert.Equal(("local", 0m, 1, false), (Prop(second, SteadfastChatProperties.Provider), Prop(second, SteadfastChatProperties.Cost),
            Prop(second, SteadfastChatProperties.Attempts), Prop(second, SteadfastChatProperties.Degraded)));
        var log = Assert.IsAssignableFrom<IReadOnlyList<ChatProviderAttempt>>(Prop(second, SteadfastChatProperties.AttemptLog));
        Assert.Equal(new ChatProviderAttempt("local", true, null, null, 0m), Assert.Single(log));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_TopProviderFails_FailsOverExactlyAsTheFullRoute(bool express)
    {
        var primary = new ScriptedChatClient("primary").Throws(ServerError());
        var backup = new ScriptedChatClient("backup").Answers("from backup");
        await using var chat = Client(Time(), new ChatProvider("primary", primary), new ChatProvider("backup", backup));
        Route(chat, express);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal(express ? 1 : 0, chat.Express.Taken);
        Assert.Equal(("from backup", 1, 1), (r.Text, primary.Calls, backup.Calls));
        Assert.Equal(2, Prop(r, SteadfastChatProperties.Attempts));
        var log = Assert.IsAssignableFrom<IReadOnlyList<ChatProviderAttempt>>(Prop(r, SteadfastChatProperties.AttemptLog));
        Assert.Equal([("primary", false, ChatErrorKind.ServerError), ("backup", true, null)], log.Select(a => (a.Provider, a.Succeeded, a.ErrorKind)).ToArray());
        var analyzer = chat.Engine.Analyzer!;
        Assert.Equal(1L, analyzer.GetStrategyStatistics("primary", "chat").Failures);
        Assert.Equal(1L, analyzer.GetStrategyStatistics("backup", "chat").Successes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_TopProviderRetriedAfterExpressFailure_IsCalledOncePerEngineAttempt(bool express)
    {
        // Two attempts per provider with no backoff: the express failure is the engine's first attempt, so primary gets one retry, not two.
        var primary = new ScriptedChatClient("primary").Throws(ServerError());
        var backup = new ScriptedChatClient("backup").Answers();
        var options = Options(o => o.Engine = new ResilienceOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero, RetryBudget = null });
        await using var chat = Client(Time(), options, new ChatProvider("primary", primary), new ChatProvider("backup", backup));
        Route(chat, express);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal((2, 1), (primary.Calls, backup.Calls));
        Assert.Equal(3, Prop(r, SteadfastChatProperties.Attempts));
        Assert.Equal(2L, chat.Engine.Analyzer!.GetStrategyStatistics("primary", "chat").Failures);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_TopProviderRefusesCredentials_BlacklistsAlertsAndFailsOver(bool express)
    {
        var primary = new ScriptedChatClient("primary").Throws(new ChatProviderException(ChatErrorKind.Authentication, "401 invalid key"));
        var backup = new ScriptedChatClient("backup").Answers("from backup");
        await using var chat = Client(Time(), new ChatProvider("primary", primary), new ChatProvider("backup", backup));
        Route(chat, express);
        var alerts = 0;
        chat.ProviderBlacklisted += (_, _) => alerts++;

        var first = await chat.GetResponseAsync("hello");
        var second = await chat.GetResponseAsync("hello");

        Assert.Equal(express ? 1 : 0, chat.Express.Taken);
        Assert.Equal(("from backup", "from backup"), (first.Text, second.Text));
        Assert.Equal((1, 2, 1), (primary.Calls, backup.Calls, alerts));
        Assert.True(chat.IsProviderBlacklisted("primary"));
    }

    [Fact]
    public async Task GetResponseAsync_AfterTopProviderFailed_ExpressGoesToNewTopUntilDemotionProbeIsDue()
    {
        var time = Time();
        var primary = new ScriptedChatClient("primary").Throws(ServerError()).Answers("primary back");
        var backup = new ScriptedChatClient("backup").Answers("from backup");
        await using var chat = Client(time, new ChatProvider("primary", primary), new ChatProvider("backup", backup));
        await chat.GetResponseAsync("hello");

        // Ranked down, primary is not called while its recovery probe is not due: backup now comes first, on the express route.
        var second = await chat.GetResponseAsync("hello");
        Assert.Equal(("from backup", 1, 2L), (second.Text, primary.Calls, chat.Express.Taken));

        // Once due, the full route promotes primary for its probe, as the engine's planner does.
        time.Advance(TimeSpan.FromMinutes(1));
        var third = await chat.GetResponseAsync("hello");
        Assert.Equal(("primary back", 2, 2L), (third.Text, primary.Calls, chat.Express.Taken));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetResponseAsync_TopProviderHangsPastStrategyTimeout_TimesOutAndFailsOver(bool express)
    {
        var time = Time();
        var primary = new ScriptedChatClient("primary").Then((_, ct) => Hang(ct));
        var backup = new ScriptedChatClient("backup").Answers("from backup");
        var options = Options(o => o.Engine = new ResilienceOptions { MaxAttempts = 1, RetryBudget = null, StrategyTimeout = TimeSpan.FromSeconds(10) });
        await using var chat = Client(time, options, new ChatProvider("primary", primary), new ChatProvider("backup", backup));
        Route(chat, express);

        var pending = chat.GetResponseAsync("hello");
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        var r = await pending;

        Assert.Equal(express ? 1 : 0, chat.Express.Taken);
        Assert.Equal(("from backup", 1, 1), (r.Text, primary.Calls, backup.Calls));
        Assert.Equal(1L, chat.Engine.Analyzer!.GetStrategyStatistics("primary", "chat").Failures);
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancelsDuringExpressCall_ThrowsWithoutFailover()
    {
        var primary = new ScriptedChatClient("primary").Then((_, ct) => Hang(ct));
        var backup = new ScriptedChatClient("backup").Answers();
        await using var chat = Client(Time(), new ChatProvider("primary", primary), new ChatProvider("backup", backup));
        using var cts = new CancellationTokenSource();

        var pending = chat.GetResponseAsync("hello", cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal((1L, 1, 0), (chat.Express.Taken, primary.Calls, backup.Calls));
        Assert.Equal(0L, chat.Engine.Analyzer!.GetStrategyStatistics("primary", "chat").Failures);
    }

    [Fact]
    public async Task GetResponseAsync_RaceMode_TakesFullRoute()
    {
        var a = new ScriptedChatClient("a").Answers();
        await using var chat = Client(Time(), Options(o => o.Mode = ExecutionMode.Race), new ChatProvider("a", a), new ChatProvider("b", new ScriptedChatClient("b").Answers()));

        await chat.GetResponseAsync("hello");

        Assert.Equal(0, chat.Express.Taken);
    }

    private static Task<ChatResponse> Hang(CancellationToken cancellationToken)
    {
        var hung = new TaskCompletionSource<ChatResponse>();
        cancellationToken.Register(() => hung.TrySetCanceled(cancellationToken));
        return hung.Task;
    }

    /// <summary>A Progress subscriber closes the express lane: the engine must raise its events, so every request runs in full.</summary>
    private static void Route(SteadfastChatClient chat, bool express)
    {
        if (!express)
        {
            chat.Engine.Progress += (_, _) => { };
        }
    }
}
