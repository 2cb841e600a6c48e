using Microsoft.Extensions.AI;
using static Steadfast.AI.Tests.Chat.ChatTestKit;

namespace Steadfast.AI.Tests.Chat;

public sealed class ChatLimitsTests
{
    [Fact]
    public async Task GetResponseAsync_RequestsPerMinuteUsed_NeverSendsMoreAndUsesNextProvider()
    {
        var time = Time();
        var a = new ScriptedChatClient("a").Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = Client(time, new ChatProvider("a", a) { RequestsPerMinute = 2, Priority = 10 }, new ChatProvider("b", b));

        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await chat.GetResponseAsync("hello")).Text);
        }

        Assert.Equal(["a", "a", "b", "b", "b"], answers);
        Assert.Equal(2, a.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_AfterTheMinute_SendsToQuotaProviderAgain()
    {
        var time = Time();
        var a = new ScriptedChatClient("a").Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = Client(time, new ChatProvider("a", a) { RequestsPerMinute = 1, Priority = 10 }, new ChatProvider("b", b));
        await chat.GetResponseAsync("hello");
        await chat.GetResponseAsync("hello");

        time.Advance(TimeSpan.FromSeconds(61));
        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("a", r.Text);
        Assert.Equal(2, a.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_Provider429WithRetryAfter_DefersItUntilThen()
    {
        var time = Time();
        var a = new ScriptedChatClient("a").Throws(new ChatProviderException(ChatErrorKind.RateLimited, "slow down", TimeSpan.FromSeconds(30))).Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = Client(time, new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b));

        var first = await chat.GetResponseAsync("hello");
        var second = await chat.GetResponseAsync("hello");
        Assert.Equal(1, a.Calls);

        time.Advance(TimeSpan.FromSeconds(31));
        var third = await chat.GetResponseAsync("hello");

        Assert.Equal(["b", "b", "a"], new[] { first.Text, second.Text, third.Text });
        Assert.Equal(2, a.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_BulkheadFull_SendsConcurrentRequestElsewhere()
    {
        var gate = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = new ScriptedChatClient("a").Then((_, _) => gate.Task).Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = Client(Time(), new ChatProvider("a", a) { MaxConcurrentRequests = 1, Priority = 10 }, new ChatProvider("b", b));

        var inFlight = chat.GetResponseAsync("first");
        var second = await chat.GetResponseAsync("second");
        gate.SetResult(ScriptedChatClient.Response("a first", 1, 1));
        var first = await inFlight;

        Assert.Equal("b", second.Text);
        Assert.Equal("a first", first.Text);
        Assert.Equal(1, a.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_BulkheadNotFull_SendsSequentialRequestsToSameProvider()
    {
        var a = new ScriptedChatClient("a").Answers("a");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = Client(Time(), new ChatProvider("a", a) { MaxConcurrentRequests = 1, Priority = 10 }, new ChatProvider("b", b));

        await chat.GetResponseAsync("first");
        var second = await chat.GetResponseAsync("second");

        Assert.Equal("a", second.Text);
        Assert.Equal(0, b.Calls);
    }
}
