using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, EventName = "RetryScheduled",
        Message = "Retry policy '{Name}': attempt {Attempt} failed after {DurationMs} ms; retrying in {DelayMs} ms")]
    public static partial void RetryScheduled(ILogger logger, string name, int attempt, double durationMs, double delayMs, Exception? exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, EventName = "RetryAfterHonoured",
        Message = "Retry policy '{Name}': the failure asked to wait {HintMs} ms; waiting {DelayMs} ms")]
    public static partial void RetryAfterHonoured(ILogger logger, string name, double hintMs, double delayMs);
}
