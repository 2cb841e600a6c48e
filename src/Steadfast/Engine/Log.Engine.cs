using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>The engine's log messages (event ids 2000-2999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, EventName = "EngineAttemptFailed",
        Message = "Operation {Operation}: strategy {Strategy} attempt {Attempt} failed ({Category})")]
    public static partial void EngineAttemptFailed(ILogger logger, string operation, string strategy, int attempt, ErrorCategory category, Exception exception);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, EventName = "EngineStrategySkipped",
        Message = "Operation {Operation}: strategy {Strategy} skipped: {Reason}")]
    public static partial void EngineStrategySkipped(ILogger logger, string operation, string strategy, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, EventName = "EngineEscalated",
        Message = "Operation {Operation} escalated after {FailedAttempts} failed attempts")]
    public static partial void EngineEscalated(ILogger logger, string operation, int failedAttempts, Exception? lastError);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, EventName = "EngineInterventionRequired",
        Message = "Operation {Operation} needs intervention after {FailedAttempts} failed attempts and no IInterventionHandler is registered; stopping")]
    public static partial void EngineInterventionRequired(ILogger logger, string operation, int failedAttempts);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, EventName = "EngineInterventionDecided",
        Message = "Operation {Operation}: intervention decided {Action} ({Reason})")]
    public static partial void EngineInterventionDecided(ILogger logger, string operation, InterventionAction action, string? reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, EventName = "EngineExecutionFailed",
        Message = "Operation {Operation} failed: {StopReason} after {Attempts} attempts ({FailedAttempts} failed) in {ElapsedMs} ms")]
    public static partial void EngineExecutionFailed(ILogger logger, string operation, StopReason stopReason, int attempts, int failedAttempts, double elapsedMs, Exception? lastError);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, EventName = "EngineCreativeSolverFailed",
        Message = "Operation {Operation}: the creative solver threw; no new strategy")]
    public static partial void EngineCreativeSolverFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, EventName = "EngineInterventionHandlerFailed",
        Message = "Operation {Operation}: the intervention handler threw; stopping")]
    public static partial void EngineInterventionHandlerFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, EventName = "EngineLearningFailed",
        Message = "Operation {Operation}: the failure analyzer threw while recording; the execution continues")]
    public static partial void EngineLearningFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, EventName = "EngineAllBlacklisted",
        Message = "Operation {Operation}: every strategy is blacklisted; trying {Strategy}, whose entry expires first")]
    public static partial void EngineAllBlacklisted(ILogger logger, string operation, string strategy);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, EventName = "EngineCreativeStrategy",
        Message = "Operation {Operation}: the creative solver proposed strategy {Strategy}")]
    public static partial void EngineCreativeStrategy(ILogger logger, string operation, string strategy);
}
