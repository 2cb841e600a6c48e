using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Steadfast.Tests.TestSupport;
using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;
using Breaker = Steadfast.CircuitBreaker;

namespace Steadfast.Tests.CircuitBreaker;

public sealed class CircuitBreakerTelemetryTests : IDisposable
{
    private readonly MeasurementRecorder _recorder = new(name => name.StartsWith("steadfast.circuit.", StringComparison.Ordinal));

    public void Dispose() => _recorder.Dispose();

    private IEnumerable<Dictionary<string, object?>> For(string instrument, string circuit) =>
        _recorder.Measurements.Where(m => m.Instrument == instrument && (string?)m.Tags["steadfast.circuit.name"] == circuit).Select(m => m.Tags);

    [Fact]
    public async Task Metrics_CallsFailuresRejectionsTransitionsAndDuration_AreTaggedWithTheCircuit()
    {
        var name = $"tele-{Guid.NewGuid():N}";
        var cb = new Breaker(name, new CircuitBreakerOptions { FailureThreshold = 1 }, NewTime());
        await SucceedTimes(cb, 1);
        await FailTimes(cb, 1);
        await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(Ok).AsTask());

        Assert.Equal(["failure", "success"], For("steadfast.circuit.calls", name).Select(t => (string)t["steadfast.outcome"]!).Order());
        Assert.Equal(typeof(InvalidOperationException).FullName, Assert.Single(For("steadfast.circuit.failures", name))["error.type"]);
        Assert.Equal("open", Assert.Single(For("steadfast.circuit.rejections", name))["steadfast.circuit.state"]);
        var transition = Assert.Single(For("steadfast.circuit.transitions", name));
        Assert.Equal("closed", transition["steadfast.circuit.from_state"]);
        Assert.Equal("open", transition["steadfast.circuit.to_state"]);
        Assert.Equal(2, For("steadfast.circuit.attempt.duration", name).Count());
    }

    [Fact]
    public async Task Logs_Transition_WrittenWithEventId()
    {
        var logger = new ListLogger();
        var cb = new Breaker("logged", new CircuitBreakerOptions { FailureThreshold = 1 }, NewTime(), new SingleLoggerFactory(logger));
        await FailTimes(cb, 1);
        cb.Reset();
        Assert.Contains(logger.Entries, e => e.Id == 1000 && e.Level == LogLevel.Warning && e.Message.Contains("logged", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Id == 1001 && e.Message.Contains("ManualReset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_SubscriberThrows_LoggedAsSubscriberFailed()
    {
        var logger = new ListLogger();
        var cb = new Breaker("sub", new CircuitBreakerOptions { FailureThreshold = 1 }, NewTime(), new SingleLoggerFactory(logger));
        cb.StateChanged += (_, _) => throw new InvalidTimeZoneException();
        await FailTimes(cb, 1);
        Assert.Contains(logger.Entries, e => e.Id == 1 && e.Exception is InvalidTimeZoneException);
    }

    internal sealed class ListLogger : ILogger
    {
        public ConcurrentQueue<(int Id, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception), exception));
    }
}
