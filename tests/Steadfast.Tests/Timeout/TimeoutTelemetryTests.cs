using Steadfast.Tests.TestSupport;

// Not "Steadfast.Tests.Timeout": that namespace would hide System.Threading.Timeout from every other test namespace.
namespace Steadfast.Tests.Timeouts;

public sealed class TimeoutTelemetryTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly string _name = $"tele-{Guid.NewGuid():N}";

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Timeout_CountsTimeoutsAndLogsThem()
    {
        var clock = new TestClock();
        var policy = new TimeoutPolicy(_name, new TimeoutOptions { Timeout = TimeSpan.FromSeconds(1) }, clock, _logs);
        var task = policy.ExecuteAsync(async ct => { await Task.Delay(System.Threading.Timeout.Infinite, ct); return 0; }).AsTask();
        await clock.AdvanceWhenWaitingAsync(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<OperationTimeoutException>(() => task);
        Assert.Single(_recorder.ForPolicy("steadfast.timeout.timeouts", _name));
        Assert.Contains(_logs.Entries, e => e.Id == 1120);
    }
}
