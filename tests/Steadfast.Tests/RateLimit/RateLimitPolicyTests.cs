using Polly;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.RateLimit;

public class RateLimitPolicyTests
{
    public static TheoryData<Action<RateLimitOptions>, string> InvalidOptions => new()
    {
        { o => { o.MaxConcurrentCalls = null; o.TokensPerPeriod = null; }, "RateLimitOptions must set MaxConcurrentCalls or TokensPerPeriod (or both); both were null." },
        { o => o.MaxConcurrentCalls = 0, "RateLimitOptions.MaxConcurrentCalls must be between 1 and 100000; was 0." },
        { o => o.QueueLength = -1, "RateLimitOptions.QueueLength must be between 0 and 100000; was -1." },
        { o => o.TokensPerPeriod = 0, "RateLimitOptions.TokensPerPeriod must be between 1 and 1000000; was 0." },
        { o => o.BurstSize = 0, "RateLimitOptions.BurstSize must be between 1 and 1000000; was 0." },
        { o => o.ReplenishmentPeriod = TimeSpan.Zero, "RateLimitOptions.ReplenishmentPeriod must be between 00:00:00.0010000 and 1.00:00:00; was 00:00:00." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingPropertyValueAndRange(Action<RateLimitOptions> configure, string message)
    {
        var options = new RateLimitOptions { MaxConcurrentCalls = 1 };
        configure(options);
        var ex = Assert.ThrowsAny<ArgumentException>(() => new RateLimitPolicy("r", options));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void Constructor_NoName_UsesRateLimit()
    {
        using var policy = new RateLimitPolicy(null, new RateLimitOptions { MaxConcurrentCalls = 1 });
        Assert.Equal("rate-limit", policy.Name);
    }

    [Fact]
    public void Clone_CopiesEveryValue()
    {
        var options = new RateLimitOptions { MaxConcurrentCalls = 2, QueueLength = 3, TokensPerPeriod = 4, ReplenishmentPeriod = TimeSpan.FromSeconds(5), BurstSize = 6 };
        var copy = options.Clone();
        options.MaxConcurrentCalls = 9;
        Assert.Equal((2, 3, 4, TimeSpan.FromSeconds(5), 6), (copy.MaxConcurrentCalls, copy.QueueLength, copy.TokensPerPeriod, copy.ReplenishmentPeriod, copy.BurstSize));
    }

    [Fact]
    public async Task ExecuteAsync_BulkheadFull_RejectsWithTypedExceptionWithoutRetryAfter()
    {
        using var policy = new RateLimitPolicy("db", new RateLimitOptions { MaxConcurrentCalls = 1 });
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = policy.ExecuteAsync(_ => new ValueTask<int>(release.Task)).AsTask();

        var ran = false;
        var ex = await Assert.ThrowsAsync<RateLimitRejectedException>(async () => await policy.ExecuteAsync(_ => { ran = true; return ValueTask.FromResult(2); }));
        Assert.False(ran);
        Assert.Equal("db", ex.LimiterName);
        Assert.Null(ex.RetryAfter);
        Assert.IsAssignableFrom<SteadfastException>(ex);
        Assert.Equal(ErrorCategory.RateLimited, ErrorClassifier.Classify(ex));

        release.SetResult(1);
        Assert.Equal(1, await first);
        Assert.Equal(3, await policy.ExecuteAsync(_ => ValueTask.FromResult(3)));
    }

    [Fact]
    public async Task ExecuteAsync_Queue_HoldsCallersUntilAPermitFrees()
    {
        using var policy = new RateLimitPolicy("q", new RateLimitOptions { MaxConcurrentCalls = 1, QueueLength = 1 });
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = policy.ExecuteAsync(_ => new ValueTask<int>(release.Task)).AsTask();
        var queued = policy.ExecuteAsync(_ => ValueTask.FromResult(2)).AsTask();
        Assert.False(queued.IsCompleted);
        await Assert.ThrowsAsync<RateLimitRejectedException>(async () => await policy.ExecuteAsync(_ => ValueTask.FromResult(3)));

        release.SetResult(1);
        Assert.Equal(1, await first);
        Assert.Equal(2, await queued);
    }

    [Fact]
    public async Task ExecuteAsync_TokenBucketEmpty_RejectsWithRetryAfter_AndRefillsOnTheClock()
    {
        var clock = new TestClock();
        using var policy = new RateLimitPolicy("api", new RateLimitOptions { TokensPerPeriod = 2, ReplenishmentPeriod = TimeSpan.FromSeconds(1) }, clock);
        Assert.Equal(2, policy.AvailableTokens);
        Assert.Null(policy.AvailableConcurrency);
        await policy.ExecuteAsync(_ => ValueTask.FromResult(1));
        await policy.ExecuteAsync(_ => ValueTask.FromResult(2));

        var ex = await Assert.ThrowsAsync<RateLimitRejectedException>(async () => await policy.ExecuteAsync(_ => ValueTask.FromResult(3)));
        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.True(ErrorClassifier.TryGetRetryAfter(ex, out var hint));
        Assert.Equal(TimeSpan.FromSeconds(1), hint);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, policy.AvailableTokens);
        Assert.Equal(4, await policy.ExecuteAsync(_ => ValueTask.FromResult(4)));
    }

    [Fact]
    public async Task ExecuteAsync_BothLimits_EachApplies()
    {
        var clock = new TestClock();
        using var policy = new RateLimitPolicy("both", new RateLimitOptions { MaxConcurrentCalls = 1, TokensPerPeriod = 10 }, clock);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = policy.ExecuteAsync(_ => new ValueTask<int>(release.Task)).AsTask();
        await Assert.ThrowsAsync<RateLimitRejectedException>(async () => await policy.ExecuteAsync(_ => ValueTask.FromResult(2)));
        release.SetResult(1);
        await first;
        Assert.Equal(1, policy.AvailableConcurrency);
    }

    [Fact]
    public async Task Dispose_IsIdempotent_AndLaterCallsThrow()
    {
        var policy = new RateLimitPolicy("d", new RateLimitOptions { MaxConcurrentCalls = 1, TokensPerPeriod = 1 }, new TestClock());
        policy.Dispose();
        await policy.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await policy.ExecuteAsync(_ => ValueTask.FromResult(1)));
    }

    [Fact]
    public async Task AddSteadfastRateLimiter_InAPollyPipeline_RejectsWithTypedException()
    {
        using var policy = new RateLimitPolicy("shared", new RateLimitOptions { MaxConcurrentCalls = 1 });
        var pipeline = new ResiliencePipelineBuilder().AddSteadfastRateLimiter(policy).Build();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = policy.ExecuteAsync(_ => new ValueTask<int>(release.Task)).AsTask();
        var ex = await Assert.ThrowsAsync<RateLimitRejectedException>(async () => await pipeline.ExecuteAsync(_ => ValueTask.FromResult(2)));
        Assert.Equal("shared", ex.LimiterName);
        release.SetResult(1);
        await first;
    }
}
