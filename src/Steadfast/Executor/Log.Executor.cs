using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, EventName = "ExecutorCallCompleted",
        Message = "Executor '{Name}': call finished as {Outcome} after {Attempts} attempt(s) in {DurationMs} ms")]
    public static partial void ExecutorCallCompleted(ILogger logger, string name, string outcome, int attempts, double durationMs);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, EventName = "ExecutorCallFailed",
        Message = "Executor '{Name}': call failed after {Attempts} attempt(s) in {DurationMs} ms")]
    public static partial void ExecutorCallFailed(ILogger logger, string name, int attempts, double durationMs, Exception exception);
}
