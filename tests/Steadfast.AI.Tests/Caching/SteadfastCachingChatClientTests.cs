using Microsoft.Extensions.AI;
using Steadfast.AI.Tests.Chat;
using static Steadfast.AI.Tests.Caching.CacheTestKit;

namespace Steadfast.AI.Tests.Caching;

public sealed class SteadfastCachingChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_SameRequestTwice_SecondFromCacheMarked()
    {
        var inner = new ScriptedChatClient("llm").Answers("answer");
        await using var cache = new SteadfastCache(timeProvider: Time());
        using var chat = new ChatClientBuilder(inner).UseSteadfastCache(cache).Build();

        var first = await chat.GetResponseAsync("question");
        var second = await chat.GetResponseAsync("question");

        Assert.Equal(1, inner.Calls);
        Assert.False(SteadfastCachingChatClient.IsCached(first));
        Assert.True(SteadfastCachingChatClient.IsCached(second));
        Assert.Equal("L1", second.AdditionalProperties![SteadfastChatProperties.CacheLevel]);
        Assert.Equal("answer", second.Text);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentOptionsOrModel_AreDifferentKeys()
    {
        var inner = new ScriptedChatClient("llm").Answers("answer");
        await using var cache = new SteadfastCache(timeProvider: Time());
        using var chat = new ChatClientBuilder(inner).UseSteadfastCache(cache).Build();

        await chat.GetResponseAsync("question", new ChatOptions { Temperature = 0.1f });
        await chat.GetResponseAsync("question", new ChatOptions { Temperature = 0.9f });
        await chat.GetResponseAsync("question", new ChatOptions { Temperature = 0.1f, ModelId = "other" });
        await chat.GetResponseAsync("another question", new ChatOptions { Temperature = 0.1f });

        Assert.Equal(4, inner.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_DegradedResponse_IsNotCached()
    {
        var provider = new ScriptedChatClient("p").Throws(new ChatProviderException(ChatErrorKind.ServerError, "down")).Answers("real");
        await using var steadfast = new SteadfastChatClient([new ChatProvider("p", provider)],
            new SteadfastChatOptions { Engine = new ResilienceOptions { MaxAttempts = 1, RetryBudget = null } }, timeProvider: Time());
        await using var cache = new SteadfastCache(timeProvider: Time());
        using var chat = new ChatClientBuilder(steadfast).UseSteadfastCache(cache).Build();

        var degraded = await chat.GetResponseAsync("question");
        var real = await chat.GetResponseAsync("question");

        Assert.Equal(true, degraded.AdditionalProperties![SteadfastChatProperties.Degraded]);
        Assert.Equal("real", real.Text);
        Assert.False(SteadfastCachingChatClient.IsCached(real));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ByDefault_IsNotCached()
    {
        var inner = new ScriptedChatClient("llm").Streams(["a", "b"]);
        await using var cache = new SteadfastCache(timeProvider: Time());
        using var chat = new ChatClientBuilder(inner).UseSteadfastCache(cache).Build();

        await chat.GetStreamingResponseAsync("q").ToChatResponseAsync();
        await chat.GetStreamingResponseAsync("q").ToChatResponseAsync();

        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_WhenAsked_IsCached()
    {
        var inner = new ScriptedChatClient("llm").Streams(["a", "b"]);
        await using var cache = new SteadfastCache(timeProvider: Time());
        using var chat = new ChatClientBuilder(inner).UseSteadfastCache(cache, c => c.CacheStreaming = true).Build();

        var first = await chat.GetStreamingResponseAsync("q").ToChatResponseAsync();
        var second = await chat.GetStreamingResponseAsync("q").ToChatResponseAsync();

        Assert.Equal(1, inner.Calls);
        Assert.Equal("ab", second.Text);
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task GetResponseAsync_CachedInRedis_ServesResponseFromL3()
    {
        var instance = "steadfast-ai-tests:" + Guid.NewGuid().ToString("N") + ":";
        var inner = new ScriptedChatClient("llm").Answers("from the model");
        using (var redis = Redis(instance))
        await using (var cache = new SteadfastCache(distributed: redis, timeProvider: Time()))
        {
            using var chat = new ChatClientBuilder(inner).UseSteadfastCache(cache).Build();
            await chat.GetResponseAsync("question");
        }

        using var redis2 = Redis(instance);
        await using var cache2 = new SteadfastCache(distributed: redis2, timeProvider: Time());
        using var chat2 = new ChatClientBuilder(inner).UseSteadfastCache(cache2).Build();
        var r = await chat2.GetResponseAsync("question");

        Assert.Equal(1, inner.Calls);
        Assert.Equal("from the model", r.Text);
        Assert.Equal("L3", r.AdditionalProperties![SteadfastChatProperties.CacheLevel]);
    }

    [Fact]
    public async Task GetResponseAsync_AfterFailoverWithDiskLevel_StoresWithoutAttemptLogAndHitsDisk()
    {
        using var dir = new TempDirectory();
        var a = new ScriptedChatClient("a").Throws(new ChatProviderException(ChatErrorKind.ServerError, "down"));
        var b = new ScriptedChatClient("b").Answers("from b");
        await using var steadfast = new SteadfastChatClient([new ChatProvider("a", a) { Priority = 10 }, new ChatProvider("b", b)],
            new SteadfastChatOptions { Engine = new ResilienceOptions { MaxAttempts = 1, RetryBudget = null } }, timeProvider: Time());
        await using var store = new Steadfast.Caching.SqliteCacheStore(dir.File("cache.db"));
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { UseMemory = false }, disk: store, timeProvider: Time());
        using var chat = new ChatClientBuilder(steadfast).UseSteadfastCache(cache).Build();

        var first = await chat.GetResponseAsync("question");
        var second = await chat.GetResponseAsync("question");

        Assert.True(first.AdditionalProperties!.ContainsKey(SteadfastChatProperties.AttemptLog));
        Assert.Equal("L2", second.AdditionalProperties![SteadfastChatProperties.CacheLevel]);
        Assert.False(second.AdditionalProperties.ContainsKey(SteadfastChatProperties.AttemptLog));
        Assert.Equal("from b", second.Text);
        Assert.Equal(0, cache.GetStatistics().For(CacheLevel.Disk)!.Errors);
    }
}
