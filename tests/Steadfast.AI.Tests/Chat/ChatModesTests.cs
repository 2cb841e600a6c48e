using Microsoft.Extensions.AI;
using static Steadfast.AI.Tests.Chat.ChatTestKit;

namespace Steadfast.AI.Tests.Chat;

public sealed class ChatModesTests
{
    [Fact]
    public async Task GetResponseAsync_Emergency_UsesOnlyEssentialProviders()
    {
        var time = Time();
        using var modes = new OperationModeManager(timeProvider: time);
        await modes.SetModeAsync(OperationMode.Emergency, "test");
        var a = new ScriptedChatClient("a").Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b) { Essential = true }],
            Options(), modes: modes, timeProvider: time);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("b", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(0, a.Calls);
        var log = Assert.IsAssignableFrom<IReadOnlyList<ChatProviderAttempt>>(Prop(r, SteadfastChatProperties.AttemptLog));
        Assert.Contains(log, x => x.Provider == "a" && x.SkipReason == SkipReasons.NotEssentialInEmergency);
    }

    [Fact]
    public async Task GetResponseAsync_Normal_UsesNonEssentialProviders()
    {
        var time = Time();
        using var modes = new OperationModeManager(timeProvider: time);
        var a = new ScriptedChatClient("a").Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b) { Essential = true }],
            Options(), modes: modes, timeProvider: time);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("a", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(0, b.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_EmergencyWithoutEssentialProviders_UsesOnlyTheCheapest()
    {
        var time = Time();
        using var modes = new OperationModeManager(timeProvider: time);
        await modes.SetModeAsync(OperationMode.Emergency, "test");
        var a = new ScriptedChatClient("a").Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = new SteadfastChatClient(
            [new ChatProvider("a", a) { Priority = 10, InputTokenPrice = 1e-5m }, new ChatProvider("b", b) { InputTokenPrice = 1e-6m }],
            Options(), modes: modes, timeProvider: time);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("b", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(0, a.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ProviderBlacklistedThenServesAgain_ComponentDegradedThenNormal()
    {
        var time = Time();
        using var modes = new OperationModeManager(timeProvider: time);
        var a = new ScriptedChatClient("a").Throws(new ChatProviderException(ChatErrorKind.Authentication, "401")).Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b)],
            Options(), modes: modes, timeProvider: time);

        await chat.GetResponseAsync("hello");
        Assert.True(modes.GetDegradedComponents().ContainsKey("a"));
        Assert.NotEqual(OperationMode.Normal, modes.CurrentMode);

        await chat.ReinstateProviderAsync("a");
        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("a", Prop(r, SteadfastChatProperties.Provider));
        Assert.False(modes.GetDegradedComponents().ContainsKey("a"));
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
    }

    [Fact]
    public async Task GetResponseAsync_ProviderFailsOnceWithCircuitClosed_ComponentNotDegraded()
    {
        var time = Time();
        using var modes = new OperationModeManager(timeProvider: time);
        var a = new ScriptedChatClient("a").Throws(ServerError()).Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b)],
            Options(), modes: modes, timeProvider: time);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("b", Prop(r, SteadfastChatProperties.Provider));
        Assert.Empty(modes.GetDegradedComponents());
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
    }

    [Fact]
    public async Task GetResponseAsync_AllUnavailableInEmergency_NoticeNamesTheMode()
    {
        var time = Time();
        using var modes = new OperationModeManager(timeProvider: time);
        await modes.SetModeAsync(OperationMode.Emergency, "test");
        var a = new ScriptedChatClient("a").Throws(ServerError());
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a) { Essential = true }], Options(), modes: modes, timeProvider: time);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal(true, Prop(r, SteadfastChatProperties.Degraded));
        Assert.Contains("Emergency", r.Text, StringComparison.Ordinal);
        Assert.Equal(OperationMode.Emergency, Prop(r, SteadfastChatProperties.Mode));
    }

    [Fact]
    public async Task GetResponseAsync_AllUnavailableInNormal_NoticeIsTheConfiguredText()
    {
        var time = Time();
        using var modes = new OperationModeManager(timeProvider: time);
        var a = new ScriptedChatClient("a").Throws(ServerError());
        var options = Options();
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a)], options, modes: modes, timeProvider: time);

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal(options.DegradedResponseText, r.Text);
        Assert.Equal(OperationMode.Normal, Prop(r, SteadfastChatProperties.Mode));
    }

    [Fact]
    public async Task GetResponseAsync_ServerErrorWithEventBus_PublishesNoAlert()
    {
        var time = Time();
        var bus = new Creative.RecordingEventBus();
        var a = new ScriptedChatClient("a").Throws(ServerError());
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b)], Options(), eventBus: bus, timeProvider: time);

        await chat.GetResponseAsync("hello");

        Assert.Empty(bus.Events);
    }
}
