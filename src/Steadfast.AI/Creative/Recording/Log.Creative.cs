using Microsoft.Extensions.Logging;

namespace Steadfast.AI;

/// <summary>The creative solver's log messages (event ids 16000-16099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 16000, Level = LogLevel.Information, EventName = "CreativeEvent",
        Message = "Creative solver, operation {Operation}: {Kind} {Strategy} {Reason}")]
    public static partial void CreativeEvent(ILogger logger, string operation, CreativeEventKind kind, string? strategy, string? reason);

    [LoggerMessage(EventId = 16001, Level = LogLevel.Warning, EventName = "CreativeModelFailed",
        Message = "Creative solver, operation {Operation}: the model failed; no proposal")]
    public static partial void CreativeModelFailed(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 16002, Level = LogLevel.Warning, EventName = "CreativePublishFailed",
        Message = "Creative solver: publishing an event failed; it stays in the history")]
    public static partial void CreativePublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 16003, Level = LogLevel.Warning, EventName = "CreativeStoreFailed",
        Message = "Creative solver: the proposal store could not {Action}; going on in memory")]
    public static partial void CreativeStoreFailed(ILogger logger, string action, Exception exception);
}
