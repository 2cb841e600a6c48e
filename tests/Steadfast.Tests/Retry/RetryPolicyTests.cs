using Polly;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Retry;

public class RetryPolicyTests
{
    private static RetryPolicy Immediate(Action<RetryOptions>? configure = null)
    {
        var options = new RetryOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new RetryPolicy("test", options);
    }

    private static async Task<int> CountAttemptsAsync(RetryPolicy policy, Func<int, Exception?> failure)
    {
        var attempts = 0;
        try
        {
            await policy.ExecuteAsync(_ =>
            {
                attempts++;
                return failure(attempts) is { } ex ? throw ex : ValueTask.FromResult(attempts);
            });
        }
        catch (Exception)
        {
            // The count is the point of these tests; the exception is asserted elsewhere.
        }

        return attempts;
    }

    [Fact]
    public async Task ExecuteAsync_AlwaysFailing_MakesMaxAttemptsAndRethrowsLast()
    {
        var policy = Immediate(o => o.MaxAttempts = 4);
        var attempts = 0;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await policy.ExecuteAsync<int>(_ => throw new InvalidOperationException($"failure {++attempts}")));
        Assert.Equal(4, attempts);
        Assert.Equal("failure 4", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_SucceedsOnSecondAttempt_ReturnsValue()
    {
        var policy = Immediate();
        var attempts = 0;
        var value = await policy.ExecuteAsync(_ => ++attempts < 2 ? throw new IOException("flaky") : ValueTask.FromResult("ok"));
        Assert.Equal("ok", value);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_MaxAttemptsOne_DoesNotRetry()
    {
        Assert.Equal(1, await CountAttemptsAsync(Immediate(o => o.MaxAttempts = 1), _ => new IOException()));
    }

    [Fact]
    public async Task ExecuteAsync_Success_RunsOnce()
    {
        Assert.Equal(1, await CountAttemptsAsync(Immediate(), _ => null));
    }

    [Fact]
    public async Task ExecuteAsync_PermanentFailureByDefault_IsNotRetried()
    {
        Assert.Equal(1, await CountAttemptsAsync(Immediate(), _ => new ArgumentException("bad input")));
        Assert.Equal(1, await CountAttemptsAsync(Immediate(), _ => new ServiceException("no", 404)));
        Assert.Equal(3, await CountAttemptsAsync(Immediate(), _ => new ServiceException("busy", 503)));
    }

    [Fact]
    public async Task ExecuteAsync_RetryOn_RetriesOnlyThoseTypesAndDerived()
    {
        var policy = Immediate(o => o.RetryOn.Add(typeof(TimeoutException)));
        Assert.Equal(3, await CountAttemptsAsync(policy, _ => new OperationTimeoutException()));
        Assert.Equal(1, await CountAttemptsAsync(policy, _ => new IOException()));
    }

    [Fact]
    public async Task ExecuteAsync_RetryOn_OverridesClassifierForListedTypes()
    {
        var policy = Immediate(o => o.RetryOn.Add(typeof(ArgumentException)));
        Assert.Equal(3, await CountAttemptsAsync(policy, _ => new ArgumentException("listed")));
    }

    [Fact]
    public async Task ExecuteAsync_DontRetryOn_WinsOverRetryOnAndClassifier()
    {
        var policy = Immediate(o => { o.RetryOn.Add(typeof(Exception)); o.DontRetryOn.Add(typeof(IOException)); });
        Assert.Equal(1, await CountAttemptsAsync(policy, _ => new FileNotFoundException()));
        Assert.Equal(3, await CountAttemptsAsync(policy, _ => new InvalidOperationException()));
    }

    [Fact]
    public async Task ExecuteAsync_ShouldHandle_ReplacesClassifier()
    {
        var never = Immediate(o => o.ShouldHandle = _ => false);
        Assert.Equal(1, await CountAttemptsAsync(never, _ => new IOException()));
        var always = Immediate(o => o.ShouldHandle = _ => true);
        Assert.Equal(3, await CountAttemptsAsync(always, _ => new ArgumentException()));
        var byMessage = Immediate(o => o.ShouldHandle = ex => ex.Message.Contains("429", StringComparison.Ordinal));
        Assert.Equal(3, await CountAttemptsAsync(byMessage, _ => new InvalidOperationException("HTTP 429")));
        Assert.Equal(1, await CountAttemptsAsync(byMessage, _ => new InvalidOperationException("HTTP 500")));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_StopsAtOnceWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var policy = Immediate(o => o.MaxAttempts = 5);
        var attempts = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await policy.ExecuteAsync<int>(ct =>
        {
            attempts++;
            cts.Cancel();
            ct.ThrowIfCancellationRequested();
            return ValueTask.FromResult(1);
        }, cts.Token));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledDuringWait_SurfacesOperationCanceled()
    {
        var clock = new TestClock();
        using var cts = new CancellationTokenSource();
        var policy = new RetryPolicy("wait", new RetryOptions { Jitter = false }, clock);
        var task = policy.ExecuteAsync<int>(_ => throw new IOException(), cts.Token).AsTask();
        await clock.WaitForTimerAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task ExecuteAsync_WaitsBackoffOnTheInjectedClock()
    {
        var clock = new TestClock();
        var attempts = new List<DateTimeOffset>();
        var policy = new RetryPolicy("clock", new RetryOptions { MaxAttempts = 3, Jitter = false }, clock);
        var task = policy.ExecuteAsync(_ =>
        {
            attempts.Add(clock.GetUtcNow());
            return attempts.Count < 3 ? throw new IOException() : ValueTask.FromResult(attempts.Count);
        }).AsTask();

        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(3, await task);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], [attempts[1] - attempts[0], attempts[2] - attempts[1]]);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterHint_WaitsAtLeastTheHint()
    {
        var clock = new TestClock();
        var delays = new List<TimeSpan>();
        var policy = new RetryPolicy("hint", new RetryOptions { MaxAttempts = 2, Jitter = false, OnRetry = a => delays.Add(a.Delay) }, clock);
        var attempts = 0;
        var task = policy.ExecuteAsync(_ => ++attempts == 1
            ? throw new ServiceException("rate limited", 429, TimeSpan.FromSeconds(7))
            : ValueTask.FromResult(attempts)).AsTask();

        await clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, attempts);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await task);
        Assert.Equal([TimeSpan.FromSeconds(7)], delays);
    }

    [Fact]
    public async Task OnRetryAndRetrying_ReceiveAttemptInfo_AndThrowingSubscribersAreIgnored()
    {
        var fromOptions = new List<OnRetryArguments>();
        var fromEvent = new List<OnRetryArguments>();
        var policy = Immediate(o => o.OnRetry = a => { fromOptions.Add(a); throw new InvalidOperationException("subscriber bug"); });
        policy.Retrying += (_, _) => throw new InvalidOperationException("subscriber bug");
        policy.Retrying += (sender, a) => { Assert.Same(policy, sender); fromEvent.Add(a); };

        await Assert.ThrowsAsync<IOException>(async () => await policy.ExecuteAsync<int>(_ => throw new IOException("down")));

        Assert.Equal([1, 2], fromOptions.Select(a => a.AttemptNumber));
        Assert.Equal(fromOptions, fromEvent);
        Assert.All(fromEvent, a => { Assert.Equal("test", a.Name); Assert.IsType<IOException>(a.Exception); });
    }

    [Fact]
    public async Task ExecuteAsync_NonGeneric_Retries()
    {
        var attempts = 0;
        await Immediate().ExecuteAsync(_ => ++attempts < 3 ? throw new IOException() : ValueTask.CompletedTask);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void Execute_Sync_RetriesWithoutDelay()
    {
        var attempts = 0;
        var value = Immediate().Execute(_ => ++attempts < 3 ? throw new IOException() : "done");
        Assert.Equal("done", value);
        Assert.Equal(3, attempts);

        var actions = 0;
        Assert.Throws<IOException>(() => Immediate().Execute(_ => { actions++; throw new IOException(); }));
        Assert.Equal(3, actions);
    }

    [Fact]
    public async Task Execute_Sync_WaitsOnTheInjectedClock()
    {
        var clock = new TestClock();
        var policy = new RetryPolicy("sync", new RetryOptions { MaxAttempts = 2, Jitter = false }, clock);
        var attempts = 0;
        var task = Task.Run(() => policy.Execute(_ => ++attempts < 2 ? throw new IOException() : attempts));
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await task);
    }

    [Fact]
    public async Task AddSteadfastRetry_InAPollyPipeline_Retries()
    {
        var pipeline = new ResiliencePipelineBuilder { Name = "polly" }
            .AddSteadfastRetry(new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero })
            .Build();
        var attempts = 0;
        await Assert.ThrowsAsync<IOException>(async () => await pipeline.ExecuteAsync<int>(_ => { attempts++; throw new IOException(); }));
        Assert.Equal(2, attempts);
    }
}
