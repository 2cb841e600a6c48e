using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Executor;

public class ResilientExecutorTests
{
    private readonly TestClock _clock = new();
    private readonly CircuitBreakerRegistry _registry;

    public ResilientExecutorTests() => _registry = new CircuitBreakerRegistry(timeProvider: _clock);

    private static async ValueTask<int> Hang(CancellationToken ct)
    {
        await Task.Delay(System.Threading.Timeout.Infinite, ct);
        return 0;
    }

    private ResilientExecutor Custom(Action<ResilientExecutorOptions> configure, string name = "svc")
    {
        var options = new ResilientExecutorOptions
        {
            Retry = new RetryOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
            CircuitBreaker = null,
            Timeout = null,
        };
        configure(options);
        return ResilientExecutor.Custom(name, options, _registry, _clock);
    }

    [Fact]
    public async Task ExecuteAsync_Success_FillsResult()
    {
        using var executor = ResilientExecutor.ForApi("ok", _registry, _clock);
        var r = await executor.ExecuteAsync(_ => ValueTask.FromResult(42));
        Assert.True(r.Success);
        Assert.Equal(42, r.Value);
        Assert.Null(r.Error);
        Assert.Equal(1, r.Attempts);
        Assert.False(r.UsedFallback);
        Assert.Equal(TimeSpan.Zero, r.Duration);
        Assert.Equal(42, r.GetValueOrThrow());
    }

    [Fact]
    public async Task ExecuteAsync_AlwaysFailing_ReturnsErrorInsteadOfThrowing()
    {
        using var executor = Custom(o => o.Retry!.MaxAttempts = 3);
        var calls = 0;
        var r = await executor.ExecuteAsync<int>(_ => throw new IOException($"down {++calls}"), CancellationToken.None);
        Assert.False(r.Success);
        Assert.Equal(3, r.Attempts);
        Assert.Equal(3, calls);
        Assert.Equal("down 3", Assert.IsType<IOException>(r.Error).Message);
        Assert.False(r.UsedFallback);
        Assert.Throws<IOException>(() => r.GetValueOrThrow());
    }

    [Fact]
    public async Task ExecuteAsync_FailsThenFallback_UsesFallbackValue()
    {
        using var executor = Custom(o => o.Retry!.MaxAttempts = 2);
        var r = await executor.ExecuteAsync<string>(_ => throw new IOException(), fallback: _ => ValueTask.FromResult("cached"));
        Assert.True(r.Success);
        Assert.Equal("cached", r.Value);
        Assert.True(r.UsedFallback);
        Assert.Null(r.Error);
        Assert.Equal(2, r.Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_Succeeds_FallbackNotUsed()
    {
        using var executor = Custom(_ => { });
        var r = await executor.ExecuteAsync(_ => ValueTask.FromResult("live"), fallback: _ => ValueTask.FromResult("cached"));
        Assert.Equal("live", r.Value);
        Assert.False(r.UsedFallback);
    }

    [Fact]
    public async Task ExecuteAsync_FallbackThrows_ReportsFallbackError()
    {
        using var executor = Custom(_ => { });
        var r = await executor.ExecuteAsync<int>(_ => throw new IOException(), fallback: _ => throw new InvalidOperationException("no cache"));
        Assert.False(r.Success);
        Assert.True(r.UsedFallback);
        Assert.Equal("no cache", r.Error?.Message);
    }

    [Fact]
    public async Task ExecuteAsync_FallbackShouldHandleDeclines_NoFallback()
    {
        using var executor = Custom(o => o.Fallback = new FallbackOptions { ShouldHandle = ex => ex is not ArgumentException });
        var r = await executor.ExecuteAsync<int>(_ => throw new ArgumentException("bad"), fallback: _ => ValueTask.FromResult(1));
        Assert.False(r.Success);
        Assert.False(r.UsedFallback);
        Assert.IsType<ArgumentException>(r.Error);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_ThrowsAndSkipsFallback()
    {
        using var executor = Custom(_ => { });
        using var cts = new CancellationTokenSource();
        var fallbackRan = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await executor.ExecuteAsync<int>(
            ct => { cts.Cancel(); ct.ThrowIfCancellationRequested(); return ValueTask.FromResult(1); },
            fallback: _ => { fallbackRan = true; return ValueTask.FromResult(0); },
            cts.Token));
        Assert.False(fallbackRan);
    }

    [Fact]
    public async Task ExecuteAsync_Duration_IncludesRetryWaitsOnTheInjectedClock()
    {
        using var executor = Custom(o => o.Retry = new RetryOptions { MaxAttempts = 2, Jitter = false });
        var calls = 0;
        var task = executor.ExecuteAsync(_ => ++calls == 1 ? throw new IOException() : ValueTask.FromResult(calls), CancellationToken.None).AsTask();
        var r = await _clock.DriveAsync(task, TimeSpan.FromSeconds(1));
        Assert.True(r.Success);
        Assert.Equal(2, r.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(1), r.Duration);
    }

    [Fact]
    public async Task Order_TimeoutIsPerAttemptInsideRetry()
    {
        using var executor = Custom(o => { o.Retry!.MaxAttempts = 2; o.Timeout = new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1) }; });
        var calls = 0;
        var task = executor.ExecuteAsync(ct => ++calls == 1 ? Hang(ct) : ValueTask.FromResult(7), CancellationToken.None).AsTask();
        var r = await _clock.DriveAsync(task, TimeSpan.FromSeconds(1));
        Assert.True(r.Success);
        Assert.Equal(7, r.Value);
        Assert.Equal(2, r.Attempts);
    }

    [Fact]
    public async Task Order_TimeoutExhausted_ReportsOperationTimeoutException()
    {
        using var executor = Custom(o => { o.Retry = null; o.Timeout = new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1) }; }, "slow");
        var task = executor.ExecuteAsync(Hang, CancellationToken.None).AsTask();
        var r = await _clock.DriveAsync(task, TimeSpan.FromSeconds(1));
        var timeout = Assert.IsType<OperationTimeoutException>(r.Error);
        Assert.Equal("slow", timeout.OperationName);
        Assert.Equal(1, r.Attempts);
    }

    [Fact]
    public async Task Order_CircuitIsInsideRetry_EachAttemptCountsAndRejectionsAreAttempts()
    {
        using var executor = Custom(o =>
        {
            o.Retry!.MaxAttempts = 3;
            o.CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 2 };
        }, "order-cb");
        var calls = 0;
        var r = await executor.ExecuteAsync<int>(_ => { calls++; throw new IOException(); }, CancellationToken.None);
        Assert.Equal(2, calls);
        Assert.Equal(3, r.Attempts);
        Assert.IsType<CircuitOpenException>(r.Error);
        Assert.Equal(CircuitState.Open, executor.CircuitBreaker!.State);
    }

    [Fact]
    public async Task Order_TimeoutIsInsideCircuit_TimeoutsCountAsFailures()
    {
        using var executor = Custom(o =>
        {
            o.Retry = null;
            o.CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 1 };
            o.Timeout = new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1) };
        }, "order-timeout");
        await _clock.DriveAsync(executor.ExecuteAsync(Hang, CancellationToken.None).AsTask(), TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.Open, executor.CircuitBreaker!.State);
    }

    [Fact]
    public async Task Order_RateLimitIsInsideCircuit_RejectionsDoNotOpenIt()
    {
        using var executor = Custom(o =>
        {
            o.Retry = null;
            o.CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 1 };
            o.RateLimit = new RateLimitOptions { TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(10) };
        }, "order-rl");
        Assert.True((await executor.ExecuteAsync(_ => ValueTask.FromResult(1), CancellationToken.None)).Success);
        var r = await executor.ExecuteAsync(_ => ValueTask.FromResult(2), CancellationToken.None);
        var rejected = Assert.IsType<RateLimitRejectedException>(r.Error);
        Assert.Equal(TimeSpan.FromSeconds(10), rejected.RetryAfter);
        Assert.Equal(CircuitState.Closed, executor.CircuitBreaker!.State);
    }

    [Fact]
    public async Task Preset_OpenCircuit_FailsFastToFallbackWithoutRetrying()
    {
        using var executor = ResilientExecutor.ForDatabase("orders-db", _registry, _clock);
        executor.CircuitBreaker!.Isolate();
        var calls = 0;
        var r = await executor.ExecuteAsync(_ => ValueTask.FromResult(++calls), fallback: _ => ValueTask.FromResult(-1));
        Assert.Equal(0, calls);
        Assert.Equal(1, r.Attempts);
        Assert.True(r.UsedFallback);
        Assert.Equal(-1, r.Value);
    }

    [Fact]
    public async Task Preset_PermanentFailures_DoNotOpenTheCircuit()
    {
        using var executor = ResilientExecutor.ForDatabase("validation-db", _registry, _clock);
        for (var i = 0; i < 5; i++)
        {
            var r = await executor.ExecuteAsync<int>(_ => throw new ArgumentException("bad query"), CancellationToken.None);
            Assert.Equal(1, r.Attempts);
        }

        Assert.Equal(CircuitState.Closed, executor.CircuitBreaker!.State);
    }

    [Fact]
    public async Task Preset_TransientFailures_OpenTheCircuitAtItsThreshold()
    {
        using var executor = ResilientExecutor.ForDatabase("flaky-db", _registry, _clock);
        var task = executor.ExecuteAsync<int>(_ => throw new IOException(), CancellationToken.None).AsTask();
        var first = await _clock.DriveAsync(task, TimeSpan.FromSeconds(1));
        Assert.Equal(2, first.Attempts);
        Assert.Equal(CircuitState.Closed, executor.CircuitBreaker!.State);

        var second = await _clock.DriveAsync(executor.ExecuteAsync<int>(_ => throw new IOException(), CancellationToken.None).AsTask(), TimeSpan.FromSeconds(1));
        Assert.IsType<CircuitOpenException>(second.Error);
        Assert.Equal(CircuitState.Open, executor.CircuitBreaker.State);
    }

    [Theory]
    [InlineData("api", 5, 30, 3, 30)]
    [InlineData("database", 3, 10, 2, 10)]
    [InlineData("ai", 3, 60, 2, 120)]
    public void Presets_FollowTheSeedTable(string kind, int failureThreshold, int cooldownSeconds, int maxAttempts, int timeoutSeconds)
    {
        var options = kind switch
        {
            "api" => ResilientExecutorOptions.ForApi(),
            "database" => ResilientExecutorOptions.ForDatabase(),
            _ => ResilientExecutorOptions.ForAiProvider(),
        };
        Assert.Equal(failureThreshold, options.CircuitBreaker!.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(cooldownSeconds), options.CircuitBreaker.Cooldown);
        Assert.Equal(maxAttempts, options.Retry!.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(timeoutSeconds), options.Timeout!.Timeout);
        Assert.Null(options.RateLimit);
    }

    [Fact]
    public void Factories_RegisterTheCircuitUnderTheName_AndShareIt()
    {
        using var api = ResilientExecutor.ForApi("shared-svc", _registry, _clock);
        using var again = ResilientExecutor.ForApi("shared-svc", _registry, _clock);
        using var ai = ResilientExecutor.ForAiProvider("openai", _registry, _clock);
        Assert.True(_registry.TryGet("shared-svc", out var breaker));
        Assert.Same(breaker, api.CircuitBreaker);
        Assert.Same(breaker, again.CircuitBreaker);
        Assert.Equal(5, breaker.Options.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(60), ai.CircuitBreaker!.Options.Cooldown);
        Assert.Equal("custom", ResilientExecutor.Custom(new ResilientExecutorOptions { CircuitBreaker = null }).Name);
    }

    [Fact]
    public void Constructor_InvalidNestedOption_ThrowsNamingIt()
    {
        var options = new ResilientExecutorOptions { Retry = new RetryOptions { MaxAttempts = 0 }, CircuitBreaker = null };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ResilientExecutor.Custom("x", options));
        Assert.StartsWith("RetryOptions.MaxAttempts must be between 1 and 100; was 0.", ex.Message);

        var timeout = new ResilientExecutorOptions { Timeout = new TimeoutOptions { Timeout = TimeSpan.Zero }, CircuitBreaker = null };
        Assert.StartsWith("TimeoutOptions.Timeout must be between", Assert.Throws<ArgumentOutOfRangeException>(() => ResilientExecutor.Custom("x", timeout)).Message);

        var rate = new ResilientExecutorOptions { RateLimit = new RateLimitOptions(), CircuitBreaker = null };
        Assert.StartsWith("RateLimitOptions must set MaxConcurrentCalls or TokensPerPeriod", Assert.Throws<ArgumentException>(() => ResilientExecutor.Custom("x", rate)).Message);

        var breaker = new ResilientExecutorOptions { CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 0 } };
        Assert.Contains("FailureThreshold", Assert.ThrowsAny<ArgumentException>(() => ResilientExecutor.Custom("x", breaker)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BlankName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ResilientExecutor(" ", new ResilientExecutorOptions()));
        Assert.StartsWith("ResilientExecutor.name must not be null, empty or white space", ex.Message);
    }

    [Fact]
    public void Constructor_NoNameNoOptions_UsesCustomAndTheDefaults()
    {
        using var executor = new ResilientExecutor(registry: _registry, timeProvider: _clock);
        Assert.Equal("custom", executor.Name);
        Assert.Equal(new CircuitBreakerOptions().FailureThreshold, executor.CircuitBreaker!.Options.FailureThreshold);
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_HaveNoEffect()
    {
        var options = new ResilientExecutorOptions
        {
            Retry = new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero },
            CircuitBreaker = null,
            Timeout = null,
            Fallback = new FallbackOptions { ShouldHandle = ex => ex is IOException },
        };
        using var executor = new ResilientExecutor("copied", options, _registry, _clock);
        options.Retry.MaxAttempts = 5;
        options.Fallback.ShouldHandle = _ => true;

        // The typed pipeline (and with it the fallback's options) is built on the first call, after the changes.
        var r = await executor.ExecuteAsync<int>(_ => throw new InvalidOperationException("down"), fallback: _ => ValueTask.FromResult(-1));
        Assert.False(r.UsedFallback);
        Assert.Equal(2, r.Attempts);
    }

    [Fact]
    public void Clone_CopiesEveryPart_IntoNewObjects()
    {
        var options = ResilientExecutorOptions.ForApi();
        options.RateLimit = new RateLimitOptions { MaxConcurrentCalls = 4 };
        options.Fallback = new FallbackOptions();
        var copy = options.Clone();
        Assert.NotSame(options.Retry, copy.Retry);
        Assert.NotSame(options.CircuitBreaker, copy.CircuitBreaker);
        Assert.NotSame(options.RateLimit, copy.RateLimit);
        Assert.NotSame(options.Timeout, copy.Timeout);
        Assert.NotSame(options.Fallback, copy.Fallback);
        Assert.Equal(options.Retry!.DontRetryOn, copy.Retry!.DontRetryOn);
        Assert.Equal(options.CircuitBreaker!.FailureThreshold, copy.CircuitBreaker!.FailureThreshold);
        Assert.Equal(4, copy.RateLimit!.MaxConcurrentCalls);
        Assert.Equal(options.Timeout!.Timeout, copy.Timeout!.Timeout);
    }

    [Fact]
    public async Task ExecuteAsync_ManyResultTypes_EachWorks()
    {
        using var executor = Custom(_ => { });
        Assert.Equal("s", (await executor.ExecuteAsync(_ => ValueTask.FromResult("s"), CancellationToken.None)).Value);
        Assert.Equal(1.5, (await executor.ExecuteAsync(_ => ValueTask.FromResult(1.5), CancellationToken.None)).Value);
        Assert.Equal("s2", (await executor.ExecuteAsync(_ => ValueTask.FromResult("s2"), CancellationToken.None)).Value);
    }
}
