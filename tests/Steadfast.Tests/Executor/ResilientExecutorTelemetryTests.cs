using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Executor;

public sealed class ResilientExecutorTelemetryTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new();
    private readonly CapturingLoggerFactory _logs = new();
    private readonly string _name = $"tele-{Guid.NewGuid():N}";

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Executor_CountsCallsByOutcome_RecordsAttemptDurations_AndLogs()
    {
        var options = new ResilientExecutorOptions
        {
            Retry = new RetryOptions { MaxAttempts = 2, InitialDelay = TimeSpan.Zero },
            CircuitBreaker = null,
            Timeout = null,
        };
        using var executor = new ResilientExecutor(_name, options, timeProvider: new TestClock(), loggerFactory: _logs);
        await executor.ExecuteAsync(_ => ValueTask.FromResult(1), CancellationToken.None);
        await executor.ExecuteAsync<int>(_ => throw new IOException(), CancellationToken.None);
        await executor.ExecuteAsync<int>(_ => throw new IOException(), fallback: _ => ValueTask.FromResult(0));

        Assert.Equal(["failure", "fallback", "success"], _recorder.ForPolicy("steadfast.executor.calls", _name).Select(t => (string)t[ResilientExecutorTelemetry.OutcomeTag]!).Order());
        Assert.Equal(5, _recorder.ForPolicy("steadfast.attempt.duration", _name).Count);
        Assert.Single(_recorder.ForPolicy("steadfast.fallback.invocations", _name));
        Assert.Contains(_logs.Entries, e => e.Id == 1200);
        Assert.Contains(_logs.Entries, e => e.Id == 1201 && e.Exception is IOException);
        Assert.Contains(_logs.Entries, e => e.Id == 1160);
        Assert.All(_logs.Entries, e => Assert.Equal("Steadfast.ResilientExecutor", e.Category));
    }
}
