using Steadfast.Telemetry;
using Steadfast.Tests.TestSupport;
using ListLogger = Steadfast.Tests.CircuitBreaker.CircuitBreakerTelemetryTests.ListLogger;

namespace Steadfast.Tests.Telemetry;

public sealed class PrimitiveTelemetryTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();
    private readonly string _name = $"tele-{Guid.NewGuid():N}";

    public void Dispose() => _recorder.Dispose();

    private List<Dictionary<string, object?>> For(string instrument) =>
        _recorder.Measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue(PrimitiveMetrics.NameTag, out var n) && (string?)n == _name)
            .Select(m => m.Tags).ToList();

    [Fact]
    public async Task Retry_CountsRetriesAndLogsThem()
    {
        var logger = new ListLogger();
        var policy = new RetryPolicy(_name, new RetryOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero }, logger: logger);
        await Assert.ThrowsAsync<IOException>(async () => await policy.ExecuteAsync<int>(_ => throw new IOException()));
        Assert.Equal(2, For("steadfast.retry.retries").Count);
        Assert.Equal(2, logger.Entries.Count(e => e.Id == 1100));
    }

    [Fact]
    public async Task Retry_ThrowingSubscriber_IsLoggedWithEventId1()
    {
        var logger = new ListLogger();
        var policy = new RetryPolicy(_name, new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero, OnRetry = _ => throw new InvalidTimeZoneException() }, logger: logger);
        await Assert.ThrowsAsync<IOException>(async () => await policy.ExecuteAsync<int>(_ => throw new IOException()));
        Assert.Contains(logger.Entries, e => e.Id == 1 && e.Exception is InvalidTimeZoneException);
    }

    [Fact]
    public async Task Timeout_CountsTimeoutsAndLogsThem()
    {
        var clock = new TestClock();
        var logger = new ListLogger();
        var policy = new TimeoutPolicy(_name, new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1) }, clock, logger);
        var task = policy.ExecuteAsync(async ct => { await Task.Delay(System.Threading.Timeout.Infinite, ct); return 0; }).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<OperationTimeoutException>(() => task);
        Assert.Single(For("steadfast.timeout.timeouts"));
        Assert.Contains(logger.Entries, e => e.Id == 1120);
    }

    [Fact]
    public async Task RateLimit_CountsRejectionsAndLogsThem()
    {
        var logger = new ListLogger();
        using var policy = new RateLimitPolicy(_name, new RateLimitOptions { TokensPerPeriod = 1 }, new TestClock(), logger);
        await policy.ExecuteAsync(_ => ValueTask.FromResult(1));
        await Assert.ThrowsAsync<RateLimitRejectedException>(async () => await policy.ExecuteAsync(_ => ValueTask.FromResult(1)));
        Assert.Single(For("steadfast.ratelimit.rejections"));
        Assert.Contains(logger.Entries, e => e.Id == 1140);
    }

    [Fact]
    public async Task Executor_CountsCallsByOutcome_RecordsAttemptDurations_AndLogs()
    {
        var logger = new ListLogger();
        var options = new ResilientExecutorOptions
        {
            Retry = new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero },
            CircuitBreaker = null,
            Timeout = null,
        };
        using var executor = new ResilientExecutor(_name, options, new TestClock(), logger: logger);
        await executor.ExecuteAsync(_ => ValueTask.FromResult(1), CancellationToken.None);
        await executor.ExecuteAsync<int>(_ => throw new IOException(), CancellationToken.None);
        await executor.ExecuteAsync<int>(_ => throw new IOException(), fallback: _ => ValueTask.FromResult(0));

        Assert.Equal(["failure", "fallback", "success"], For("steadfast.executor.calls").Select(t => (string)t[PrimitiveMetrics.OutcomeTag]!).Order());
        Assert.Equal(5, For("steadfast.attempt.duration").Count);
        Assert.Single(For("steadfast.fallback.invocations"));
        Assert.Contains(logger.Entries, e => e.Id == 1200);
        Assert.Contains(logger.Entries, e => e.Id == 1201 && e.Exception is IOException);
        Assert.Contains(logger.Entries, e => e.Id == 1160);
    }
}
