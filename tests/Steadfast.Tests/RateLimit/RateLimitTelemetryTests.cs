using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.RateLimit;

public sealed class RateLimitTelemetryTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly string _name = $"tele-{Guid.NewGuid():N}";

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task RateLimit_CountsRejectionsAndLogsThem()
    {
        using var policy = new RateLimitPolicy(_name, new RateLimitOptions { TokensPerPeriod = 1 }, new TestClock(), _logs);
        await policy.ExecuteAsync(_ => ValueTask.FromResult(1));
        await Assert.ThrowsAsync<RateLimitRejectedException>(async () => await policy.ExecuteAsync(_ => ValueTask.FromResult(1)));
        Assert.Single(_recorder.ForPolicy("steadfast.ratelimit.rejections", _name));
        Assert.Contains(_logs.Entries, e => e.Id == 1140);
    }
}
