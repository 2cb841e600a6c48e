using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>Recovery orchestrator: event ids 5300-5399.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, EventName = "RecoveryDecided",
        Message = "Error in '{Component}' ({ErrorType}, {Severity}): {Actions}. {Reason}")]
    public static partial void RecoveryDecided(ILogger logger, string component, string errorType, ErrorSeverity severity, RecoveryAction actions, string reason);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, EventName = "RecoveryEscalated",
        Message = "The error pattern {ErrorType} of '{Component}' recurred {Count} times within {Window}; recovery escalated to {Severity}")]
    public static partial void RecoveryEscalated(ILogger logger, string component, string errorType, int count, TimeSpan window, ErrorSeverity severity);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Error, EventName = "OperatorAlerted",
        Message = "Operator alert for '{Component}' ({Kind}): {Message}")]
    public static partial void OperatorAlerted(ILogger logger, string component, OperatorAlertKind kind, string message);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, EventName = "ErrorTrend",
        Message = "Component '{Component}' had {Count} errors within {Window}")]
    public static partial void ErrorTrend(ILogger logger, string component, long count, TimeSpan window);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Error, EventName = "RecoveryAnalysisFailed",
        Message = "The background error analysis failed; it runs again at the next interval")]
    public static partial void RecoveryAnalysisFailed(ILogger logger, Exception exception);
}
