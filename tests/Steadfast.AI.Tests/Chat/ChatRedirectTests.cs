using System.Net;
using Microsoft.Extensions.AI;
using static Steadfast.AI.Tests.Chat.ChatTestKit;

namespace Steadfast.AI.Tests.Chat;

public sealed class ChatRedirectTests
{
    private static Exception ContextError() => new InvalidOperationException("This model's maximum context length is 8192 tokens (context_length_exceeded)");

    private static Exception PolicyError() => new ChatProviderException(ChatErrorKind.ContentPolicy, "refused by the content filter");

    [Fact]
    public async Task GetResponseAsync_ContextWindowError_FailsOverOnlyToLargerWindow()
    {
        var small = new ScriptedChatClient("small").Throws(ContextError());
        var smaller = new ScriptedChatClient("smaller").Answers("smaller");
        var unknown = new ScriptedChatClient("unknown").Answers("unknown");
        var large = new ScriptedChatClient("large").Answers("large");
        await using var chat = Client(Time(),
            new ChatProvider("small", small) { MaxContextTokens = 8192, Priority = 10 },
            new ChatProvider("smaller", smaller) { MaxContextTokens = 4096, Priority = 5 },
            new ChatProvider("unknown", unknown) { Priority = 5 },
            new ChatProvider("large", large) { MaxContextTokens = 128_000, Priority = 1 });

        var r = await chat.GetResponseAsync("long document");

        Assert.Equal("large", r.Text);
        Assert.Equal(0, smaller.Calls);
        Assert.Equal(0, unknown.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ContextWindowErrorWithNoLargerWindow_ThrowsTheProvidersError()
    {
        var small = new ScriptedChatClient("small").Throws(ContextError());
        var smaller = new ScriptedChatClient("smaller").Answers();
        await using var chat = Client(Time(),
            new ChatProvider("small", small) { MaxContextTokens = 8192, Priority = 10 },
            new ChatProvider("smaller", smaller) { MaxContextTokens = 4096 });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => chat.GetResponseAsync("long document"));

        Assert.Contains("context_length_exceeded", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, smaller.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_RequestLargerThanWindow_SkipsProviderBeforeCalling()
    {
        var tiny = new ScriptedChatClient("tiny").Answers("tiny");
        var big = new ScriptedChatClient("big").Answers("big");
        await using var chat = Client(Time(),
            new ChatProvider("tiny", tiny) { MaxContextTokens = 50, Priority = 10 },
            new ChatProvider("big", big) { MaxContextTokens = 10_000 });

        var r = await chat.GetResponseAsync(new string('x', 1000));   // ~254 tokens

        Assert.Equal("big", r.Text);
        Assert.Equal(0, tiny.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_RequestWithinWindow_UsesPreferredProvider()
    {
        var tiny = new ScriptedChatClient("tiny").Answers("tiny");
        var big = new ScriptedChatClient("big").Answers("big");
        await using var chat = Client(Time(),
            new ChatProvider("tiny", tiny) { MaxContextTokens = 5000, Priority = 10 },
            new ChatProvider("big", big) { MaxContextTokens = 10_000 });

        var r = await chat.GetResponseAsync(new string('x', 1000));

        Assert.Equal("tiny", r.Text);
    }

    [Fact]
    public async Task GetResponseAsync_ContentPolicyError_GoesOnlyToMarkedProviders()
    {
        var strict = new ScriptedChatClient("strict").Throws(PolicyError());
        var other = new ScriptedChatClient("other").Answers("other");
        var lenient = new ScriptedChatClient("lenient").Answers("lenient");
        await using var chat = Client(Time(),
            new ChatProvider("strict", strict) { Priority = 10 },
            new ChatProvider("other", other) { Priority = 5 },
            new ChatProvider("lenient", lenient) { ContentPolicyFallback = true, Priority = 1 });

        var r = await chat.GetResponseAsync("edgy");

        Assert.Equal("lenient", r.Text);
        Assert.Equal(0, other.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ContentPolicyErrorWithoutMarkedProvider_ThrowsTheRefusal()
    {
        var strict = new ScriptedChatClient("strict").Throws(PolicyError());
        var other = new ScriptedChatClient("other").Answers();
        await using var chat = Client(Time(), new ChatProvider("strict", strict) { Priority = 10 }, new ChatProvider("other", other));

        var e = await Assert.ThrowsAsync<ChatProviderException>(() => chat.GetResponseAsync("edgy"));

        Assert.Equal(ChatErrorKind.ContentPolicy, e.Kind);
        Assert.Equal(0, other.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_ServerErrorBeforeMarkedProvider_GoesToUnmarkedProviderToo()
    {
        var strict = new ScriptedChatClient("strict").Throws(ServerError());
        var other = new ScriptedChatClient("other").Answers("other");
        await using var chat = Client(Time(), new ChatProvider("strict", strict) { Priority = 10 }, new ChatProvider("other", other));

        var r = await chat.GetResponseAsync("plain");

        Assert.Equal("other", r.Text);
    }

    [Fact]
    public async Task GetResponseAsync_AuthenticationError_BlacklistsUntilReinstatedAndRaisesAlert()
    {
        var a = new ScriptedChatClient("a").Throws(new HttpRequestException("invalid api key", null, HttpStatusCode.Unauthorized)).Answers("a again");
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = Client(Time(), new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b));
        var alerts = new List<ProviderBlacklistedEventArgs>();
        chat.ProviderBlacklisted += (_, e) => alerts.Add(e);

        var first = await chat.GetResponseAsync("hello");
        var second = await chat.GetResponseAsync("hello");

        Assert.Equal("b", first.Text);
        Assert.Equal("b", second.Text);
        Assert.Equal(1, a.Calls);
        Assert.True(chat.IsProviderBlacklisted("a"));
        Assert.Equal("a", Assert.Single(alerts).Provider);

        Assert.True(await chat.ReinstateProviderAsync("a"));
        var third = await chat.GetResponseAsync("hello");

        Assert.False(chat.IsProviderBlacklisted("a"));
        Assert.Equal("a again", third.Text);
    }

    [Fact]
    public async Task GetResponseAsync_ServerError_DoesNotBlacklistOrAlert()
    {
        var a = new ScriptedChatClient("a").Throws(ServerError());
        var b = new ScriptedChatClient("b").Answers("b");
        await using var chat = Client(Time(), new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b));
        var alerts = 0;
        chat.ProviderBlacklisted += (_, _) => alerts++;

        await chat.GetResponseAsync("hello");

        Assert.False(chat.IsProviderBlacklisted("a"));
        Assert.Equal(0, alerts);
    }

    [Fact]
    public async Task GetResponseAsync_AuthenticationErrorWithEventBus_PublishesAlert()
    {
        var a = new ScriptedChatClient("a").Throws(new ChatProviderException(ChatErrorKind.Authentication, "401"));
        var b = new ScriptedChatClient("b").Answers("b");
        var bus = new RecordingBus();
        await using var chat = new SteadfastChatClient([new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b)], Options(), eventBus: bus, timeProvider: Time());

        await chat.GetResponseAsync("hello");

        var alert = Assert.IsType<OperatorAlert>(Assert.Single(bus.Published));
        Assert.Equal("a", alert.Component);
        Assert.Equal(OperatorAlertKind.Problem, alert.Kind);
        Assert.Equal(ErrorSeverity.High, alert.Severity);
        Assert.Contains("blacklisted", alert.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingBus : IEventBus
    {
        public List<object> Published { get; } = [];

        public IDisposable Subscribe<TEvent>(Func<TEvent, CancellationToken, Task> handler)
            where TEvent : class => throw new NotSupportedException();

        public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
            where TEvent : class
        {
            Published.Add(@event);
            return ValueTask.CompletedTask;
        }

        public Task PublishAndWaitAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
            where TEvent : class => PublishAsync(@event, cancellationToken).AsTask();
    }
}
