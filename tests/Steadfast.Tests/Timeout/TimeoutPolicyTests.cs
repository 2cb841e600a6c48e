using Polly;
using Steadfast.Tests.TestSupport;

// Not "Steadfast.Tests.Timeout": that namespace would hide System.Threading.Timeout from every other test namespace.
namespace Steadfast.Tests.Timeouts;

public class TimeoutPolicyTests
{
    private static async ValueTask<int> Hang(CancellationToken ct)
    {
        await Task.Delay(System.Threading.Timeout.Infinite, ct);
        return 1;
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new TimeoutOptions();
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(TimeoutBehavior.Throw, options.Behavior);
        Assert.Null(options.OnTimeout);
        Assert.Null(options.DefaultValue);
        Assert.Equal(TimeSpan.FromSeconds(30), new TimeoutPolicy().Timeout);
        Assert.Equal("timeout", new TimeoutPolicy().Name);
    }

    public static TheoryData<Action<TimeoutOptions>, string> InvalidOptions => new()
    {
        { o => o.Timeout = TimeSpan.Zero, "TimeoutOptions.Timeout must be between 00:00:00.0100000 and 1.00:00:00; was 00:00:00." },
        { o => o.Timeout = TimeSpan.FromMilliseconds(5), "TimeoutOptions.Timeout must be between 00:00:00.0100000 and 1.00:00:00; was 00:00:00.0050000." },
        { o => o.Timeout = TimeSpan.FromDays(2), "TimeoutOptions.Timeout must be between 00:00:00.0100000 and 1.00:00:00; was 2.00:00:00." },
        { o => o.Behavior = (TimeoutBehavior)7, "TimeoutOptions.Behavior must be Throw or ReturnDefault; was 7." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Constructor_InvalidOption_ThrowsNamingPropertyValueAndRange(Action<TimeoutOptions> configure, string message)
    {
        var options = new TimeoutOptions();
        configure(options);
        var ex = Assert.ThrowsAny<ArgumentException>(() => new TimeoutPolicy("t", options));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_FastOperation_ReturnsResult()
    {
        var policy = new TimeoutPolicy("fast", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1) }, new TestClock());
        Assert.Equal(5, await policy.ExecuteAsync(_ => ValueTask.FromResult(5)));
    }

    [Fact]
    public async Task ExecuteAsync_Throw_RaisesOperationTimeoutExceptionWithTimeoutAndName()
    {
        var clock = new TestClock();
        var policy = new TimeoutPolicy("search", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(5) }, clock);
        var task = policy.ExecuteAsync(Hang).AsTask();

        await clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(task.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<OperationTimeoutException>(() => task);
        Assert.IsAssignableFrom<TimeoutException>(ex);
        Assert.Equal(TimeSpan.FromSeconds(5), ex.Timeout);
        Assert.Equal("search", ex.OperationName);
        Assert.Contains("'search'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.Timeout, ErrorClassifier.Classify(ex));
    }

    [Fact]
    public async Task ExecuteAsync_OnTimeout_IsCalledBeforeTheThrow_AndAThrowingSubscriberIsIgnored()
    {
        var clock = new TestClock();
        var seen = new List<OnTimeoutArguments>();
        Action<OnTimeoutArguments> onTimeout = _ => throw new InvalidOperationException("subscriber bug");
        onTimeout += seen.Add;
        var policy = new TimeoutPolicy("search", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(2), OnTimeout = onTimeout }, clock);
        var task = policy.ExecuteAsync(Hang).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<OperationTimeoutException>(() => task);
        Assert.Equal([new OnTimeoutArguments("search", TimeSpan.FromSeconds(2))], seen);
    }

    [Fact]
    public async Task ExecuteAsync_OnTimeout_IsCalledWithReturnDefaultToo()
    {
        var clock = new TestClock();
        var calls = 0;
        var options = new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1), Behavior = TimeoutBehavior.ReturnDefault, OnTimeout = _ => calls++ };
        var policy = new TimeoutPolicy("d", options, clock);
        var task = policy.ExecuteAsync(Hang).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await task);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_HaveNoEffect()
    {
        var clock = new TestClock();
        var options = new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1), Behavior = TimeoutBehavior.ReturnDefault, DefaultValue = 42 };
        var policy = new TimeoutPolicy("d", options, clock);
        options.Timeout = TimeSpan.FromSeconds(10);
        options.Behavior = TimeoutBehavior.Throw;
        options.DefaultValue = 7;
        var task = policy.ExecuteAsync(Hang).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(42, await task);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.Timeout);
    }

    [Fact]
    public async Task ExecuteAsync_ReturnDefault_ReturnsConfiguredValue()
    {
        var clock = new TestClock();
        var policy = new TimeoutPolicy("d", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1), Behavior = TimeoutBehavior.ReturnDefault, DefaultValue = 42 }, clock);
        var task = policy.ExecuteAsync(Hang).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(42, await task);
    }

    [Fact]
    public async Task ExecuteAsync_ReturnDefaultWithValueOfOtherType_ReturnsTypeDefault()
    {
        var clock = new TestClock();
        var policy = new TimeoutPolicy("d", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1), Behavior = TimeoutBehavior.ReturnDefault, DefaultValue = "text" }, clock);
        var task = policy.ExecuteAsync(Hang).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await task);
    }

    [Fact]
    public async Task ExecuteAsync_NonGenericReturnDefault_CompletesWithoutThrowing()
    {
        var clock = new TestClock();
        var policy = new TimeoutPolicy("d", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1), Behavior = TimeoutBehavior.ReturnDefault }, clock);
        var task = policy.ExecuteAsync(async ct => await Hang(ct)).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await task;
    }

    [Fact]
    public async Task ExecuteAsync_NonGenericThrow_RaisesOperationTimeoutException()
    {
        var clock = new TestClock();
        var policy = new TimeoutPolicy("d", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1) }, clock);
        var task = policy.ExecuteAsync(async ct => await Hang(ct)).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<OperationTimeoutException>(() => task);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_SurfacesOperationCanceledNotTimeout()
    {
        var clock = new TestClock();
        using var cts = new CancellationTokenSource();
        var policy = new TimeoutPolicy("c", new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1), Behavior = TimeoutBehavior.ReturnDefault }, clock);
        var task = policy.ExecuteAsync(Hang, cts.Token).AsTask();
        await clock.WaitForTimerAsync();
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.IsNotType<OperationTimeoutException>(ex);
    }

    [Fact]
    public async Task ExecuteAsync_OperationThrows_ExceptionPassesThrough()
    {
        var policy = new TimeoutPolicy("x", timeProvider: new TestClock());
        await Assert.ThrowsAsync<IOException>(async () => await policy.ExecuteAsync<int>(_ => throw new IOException()));
    }

    [Fact]
    public async Task AddSteadfastTimeout_InAPollyPipeline_ThrowsOperationTimeoutException()
    {
        var clock = new TestClock();
        var pipeline = new ResiliencePipelineBuilder { Name = "polly", TimeProvider = clock }
            .AddSteadfastTimeout(new TimeoutOptions { Timeout = TimeSpan.FromSeconds(2) })
            .Build();
        var task = pipeline.ExecuteAsync(Hang).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(2));
        var ex = await Assert.ThrowsAsync<OperationTimeoutException>(() => task);
        Assert.Equal("polly", ex.OperationName);
    }
}
