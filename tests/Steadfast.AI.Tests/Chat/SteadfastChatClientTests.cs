using System.Net;
using Microsoft.Extensions.AI;
using static Steadfast.AI.Tests.Chat.ChatTestKit;

namespace Steadfast.AI.Tests.Chat;

public sealed class SteadfastChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_FirstProviderAnswers_MarksProviderCostAndAttempts()
    {
        var a = new ScriptedChatClient("a").Answers("hi", input: 1000, output: 200);
        var b = new ScriptedChatClient("b").Answers();
        await using var chat = Client(Time(), new ChatProvider("a", a) { InputTokenPrice = 0.001m, OutputTokenPrice = 0.002m, Priority = 10 }, new ChatProvider("b", b));

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("hi", r.Text);
        Assert.Equal("a", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(1.4m, Prop(r, SteadfastChatProperties.Cost));
        Assert.Equal(1, Prop(r, SteadfastChatProperties.Attempts));
        Assert.Equal(false, Prop(r, SteadfastChatProperties.Degraded));
        Assert.Equal(0, b.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_FirstProviderServerError_FailsOverToSecond()
    {
        var a = new ScriptedChatClient("a").Throws(ServerError());
        var b = new ScriptedChatClient("b").Answers("from b");
        await using var chat = Client(Time(), new ChatProvider("a", a), new ChatProvider("b", b));

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("from b", r.Text);
        Assert.Equal("b", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(2, Prop(r, SteadfastChatProperties.Attempts));
    }

    [Fact]
    public async Task GetResponseAsync_ProviderKeepsFailing_IsRankedBelowTheOneThatAnswers()
    {
        var a = new ScriptedChatClient("a").Throws(new HttpRequestException("down", null, HttpStatusCode.BadGateway));
        var b = new ScriptedChatClient("b").Answers();
        await using var chat = Client(Time(), new ChatProvider("a", a), new ChatProvider("b", b));

        for (var i = 0; i < 3; i++)
        {
            await chat.GetResponseAsync("hello");
        }

        var callsToA = a.Calls;
        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("b", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(callsToA, a.Calls);
        Assert.Equal(1, Prop(r, SteadfastChatProperties.Attempts));
    }

    [Fact]
    public async Task GetResponseAsync_AllProvidersFail_ReturnsDegradedResponse()
    {
        var a = new ScriptedChatClient("a").Throws(ServerError());
        var b = new ScriptedChatClient("b").Throws(new TimeoutException("slow"));
        await using var chat = Client(Time(), Options(o => o.DegradedResponseText = "later, please"), new ChatProvider("a", a), new ChatProvider("b", b));

        var r = await chat.GetResponseAsync("hello");

        Assert.Equal("later, please", r.Text);
        Assert.Equal(true, Prop(r, SteadfastChatProperties.Degraded));
        Assert.Equal(2, Prop(r, SteadfastChatProperties.Attempts));
        Assert.Null(Prop(r, SteadfastChatProperties.Provider));
    }

    [Fact]
    public async Task GetResponseAsync_AllFailWithThrowOption_ThrowsWithEveryAttempt()
    {
        var a = new ScriptedChatClient("a").Throws(ServerError());
        var b = new ScriptedChatClient("b").Throws(ServerError());
        await using var chat = Client(Time(), Options(o => o.ThrowWhenAllUnavailable = true), new ChatProvider("a", a), new ChatProvider("b", b));

        var e = await Assert.ThrowsAsync<AllProvidersUnavailableException>(() => chat.GetResponseAsync("hello"));

        Assert.Equal(["a", "b"], e.Attempts.Where(x => !x.Skipped).Select(x => x.Provider).Order());
        Assert.All(e.Attempts.Where(x => !x.Skipped), x => Assert.Equal(ChatErrorKind.ServerError, x.ErrorKind));
    }

    [Fact]
    public async Task GetResponseAsync_ProviderWithModelId_ReceivesItsModelAndCallerOptionsStayUntouched()
    {
        var a = new ScriptedChatClient("a").Answers();
        await using var chat = Client(Time(), new ChatProvider("a", a) { ModelId = "gpt-4o" });
        var callerOptions = new ChatOptions { ModelId = "caller", Temperature = 0.5f };

        await chat.GetResponseAsync("hello", callerOptions);

        Assert.Equal("gpt-4o", a.ReceivedOptions.Single()!.ModelId);
        Assert.Equal(0.5f, a.ReceivedOptions.Single()!.Temperature);
        Assert.Equal("caller", callerOptions.ModelId);
    }

    [Fact]
    public async Task GetResponseAsync_ProviderWithoutModelId_ReceivesCallerOptions()
    {
        var a = new ScriptedChatClient("a").Answers();
        await using var chat = Client(Time(), new ChatProvider("a", a));
        var callerOptions = new ChatOptions { ModelId = "caller" };

        await chat.GetResponseAsync("hello", callerOptions);

        Assert.Equal("caller", a.ReceivedOptions.Single()!.ModelId);
    }

    [Fact]
    public async Task GetResponseAsync_EstimateAboveMaxCostPerRequest_SkipsProviderWithReason()
    {
        var expensive = new ScriptedChatClient("expensive").Answers();
        var cheap = new ScriptedChatClient("cheap").Answers();
        await using var chat = Client(Time(), Options(o => o.MaxCostPerRequest = 0.01m),
            new ChatProvider("expensive", expensive) { InputTokenPrice = 0.001m, Priority = 10 },
            new ChatProvider("cheap", cheap) { InputTokenPrice = 0.000001m });

        var r = await chat.GetResponseAsync(new string('x', 400));   // ~104 tokens: 0.104 on the expensive one

        Assert.Equal("cheap", Prop(r, SteadfastChatProperties.Provider));
        Assert.Equal(0, expensive.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_EstimateWithinMaxCostPerRequest_UsesPreferredProvider()
    {
        var expensive = new ScriptedChatClient("expensive").Answers();
        var cheap = new ScriptedChatClient("cheap").Answers();
        await using var chat = Client(Time(), Options(o => o.MaxCostPerRequest = 1m),
            new ChatProvider("expensive", expensive) { InputTokenPrice = 0.001m, Priority = 10 },
            new ChatProvider("cheap", cheap) { InputTokenPrice = 0.000001m });

        var r = await chat.GetResponseAsync(new string('x', 400));

        Assert.Equal("expensive", Prop(r, SteadfastChatProperties.Provider));
    }

    [Fact]
    public async Task GetResponseAsync_OnlyProviderOverBudget_IsDegradedWithSkipReason()
    {
        var expensive = new ScriptedChatClient("expensive").Answers();
        await using var chat = Client(Time(), Options(o => { o.MaxCostPerRequest = 0.01m; o.ThrowWhenAllUnavailable = true; }),
            new ChatProvider("expensive", expensive) { InputTokenPrice = 0.001m });

        var e = await Assert.ThrowsAsync<AllProvidersUnavailableException>(() => chat.GetResponseAsync(new string('x', 400)));

        Assert.StartsWith("cost: estimated", Assert.Single(e.Attempts).SkipReason, StringComparison.Ordinal);
        Assert.Equal(0, expensive.Calls);
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws()
    {
        var a = new ScriptedChatClient("a");
        Assert.Throws<ArgumentException>(() => new SteadfastChatClient([new ChatProvider("a", a), new ChatProvider("a", a)]));
    }

    [Fact]
    public void Constructor_NoProviders_Throws() => Assert.Throws<ArgumentException>(() => new SteadfastChatClient([]));

    [Fact]
    public void Validate_MaxCostPerRequestZero_NamesPropertyAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new SteadfastChatOptions { MaxCostPerRequest = 0m }.Validate());
        Assert.Contains("SteadfastChatOptions.MaxCostPerRequest", e.Message, StringComparison.Ordinal);
        Assert.Contains("was 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultOptions_Passes() => new SteadfastChatOptions().Validate();

    [Fact]
    public void Clone_CopiesEngineOptions()
    {
        var options = new SteadfastChatOptions { Engine = new ResilienceOptions { MaxAttempts = 3 } };
        var copy = options.Clone();
        options.Engine.MaxAttempts = 9;
        Assert.Equal(3, copy.Engine!.MaxAttempts);
    }

    [Fact]
    public void Constructor_NegativePrice_NamesProvider()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SteadfastChatClient([new ChatProvider("a", new ScriptedChatClient("a")) { InputTokenPrice = -1m }]));
        Assert.Contains("'a'", e.Message, StringComparison.Ordinal);
    }
}
