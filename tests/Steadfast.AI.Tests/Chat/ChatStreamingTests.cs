using Microsoft.Extensions.AI;
using static Steadfast.AI.Tests.Chat.ChatTestKit;

namespace Steadfast.AI.Tests.Chat;

public sealed class ChatStreamingTests
{
    [Fact]
    public async Task GetStreamingResponseAsync_FailureBeforeFirstUpdate_FailsOver()
    {
        var a = new ScriptedChatClient("a").StreamThrows(ServerError());
        var b = new ScriptedChatClient("b").Streams(["Hel", "lo"], input: 10, output: 20);
        await using var chat = Client(Time(), new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b) { OutputTokenPrice = 0.01m });

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in chat.GetStreamingResponseAsync("hi"))
        {
            updates.Add(u);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("Hello", response.Text);
        Assert.Equal("b", response.AdditionalProperties![SteadfastChatProperties.Provider]);
        Assert.Equal(0.2m, response.AdditionalProperties[SteadfastChatProperties.Cost]);
        Assert.Equal(2, response.AdditionalProperties[SteadfastChatProperties.Attempts]);
        Assert.Equal(1, a.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailureAfterFirstUpdate_ThrowsTypedWithWhatWasStreamed()
    {
        var a = new ScriptedChatClient("a").Streams(["Once ", "upon"], failAfter: ServerError());
        var b = new ScriptedChatClient("b").Streams(["never"]);
        await using var chat = Client(Time(), new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b));

        var received = new List<ChatResponseUpdate>();
        var e = await Assert.ThrowsAsync<ChatStreamInterruptedException>(async () =>
        {
            await foreach (var u in chat.GetStreamingResponseAsync("tell a story"))
            {
                received.Add(u);
            }
        });

        Assert.Equal("a", e.Provider);
        Assert.Equal("Once upon", e.TextSoFar);
        Assert.Equal(ChatErrorKind.ServerError, e.ErrorKind);
        Assert.Equal(2, received.Count);
        Assert.Equal(0, b.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AllFail_StreamsDegradedUpdate()
    {
        var a = new ScriptedChatClient("a").StreamThrows(ServerError());
        await using var chat = Client(Time(), new ChatProvider("a", a));

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in chat.GetStreamingResponseAsync("hi"))
        {
            updates.Add(u);
        }

        var only = Assert.Single(updates);
        Assert.Equal(true, only.AdditionalProperties![SteadfastChatProperties.Degraded]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerCancels_SurfacesCancellationNotInterruption()
    {
        var a = new ScriptedChatClient("a").Streams(["a", "b", "c"]);
        await using var chat = Client(Time(), new ChatProvider("a", a));
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var u in chat.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });
    }
}
