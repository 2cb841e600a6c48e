using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Retry;

public sealed class RetryTelemetryTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly string _name = $"tele-{Guid.NewGuid():N}";

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Retry_CountsRetriesAndLogsThem()
    {
        var policy = new RetryPolicy(_name, new RetryOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero }, loggerFactory: _logs);
        await Assert.ThrowsAsync<IOException>(async () => await policy.ExecuteAsync<int>(_ => throw new IOException()));
        Assert.Equal(2, _recorder.ForPolicy("steadfast.retry.retries", _name).Count);
        Assert.Equal(2, _logs.Entries.Count(e => e.Id == 1100 && e.Category == "Steadfast.RetryPolicy"));
    }

    [Fact]
    public async Task Retry_ThrowingSubscriber_IsLoggedWithEventId1()
    {
        var policy = new RetryPolicy(_name, new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero, OnRetry = _ => throw new InvalidTimeZoneException() }, loggerFactory: _logs);
        await Assert.ThrowsAsync<IOException>(async () => await policy.ExecuteAsync<int>(_ => throw new IOException()));
        Assert.Contains(_logs.Entries, e => e.Id == 1 && e.Exception is InvalidTimeZoneException);
    }
}
