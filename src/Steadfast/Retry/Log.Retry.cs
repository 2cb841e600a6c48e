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

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, EventName = "RetryBudgetExhausted",
        Message = "Retry budget '{Name}': retry refused: {Retries} retries for {Calls} calls in the last {WindowSeconds} s used up the budget ({Ratio} of calls + {Reserve} in reserve); retries stay refused until it refills")]
    public static partial void RetryBudgetExhausted(ILogger logger, string name, long retries, long calls, double windowSeconds, double ratio, double reserve);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, EventName = "RetryBudgetRefilled",
        Message = "Retry budget '{Name}': retries allowed again after {Refused} were refused")]
    public static partial void RetryBudgetRefilled(ILogger logger, string name, long refused);
}
