using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast.Tests.TestSupport;

/// <summary>An <see cref="ILoggerFactory"/> whose loggers all write into <see cref="Entries"/>, so tests can assert event ids and exceptions.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(int Id, LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((eventId.Id, logLevel, category, formatter(state, exception), exception));
    }
}

/// <summary>Picks the measurements of one named policy out of a <see cref="MeasurementRecorder"/>.</summary>
internal static class PolicyMeasurements
{
    public static List<Dictionary<string, object?>> ForPolicy(this MeasurementRecorder recorder, string instrument, string policyName) =>
        [.. recorder.Measurements
            .Where(m => m.Instrument == instrument && m.Tags.TryGetValue(PolicyTags.Name, out var n) && (string?)n == policyName)
            .Select(m => m.Tags)];
}
