using Microsoft.Extensions.Logging;

namespace Steadfast.AI;

/// <summary>
/// The source-generated log messages of Steadfast.AI, one partial file per feature. Event ids: 15000 chat client, 15100 cache
/// (16000 and up belong to the creative solver).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 15000, Level = LogLevel.Critical, EventName = "ChatProviderAuthenticationFailed",
        Message = "Chat provider {Provider} refused our credentials; it is blacklisted until the entry is removed: {Reason}")]
    public static partial void ProviderAuthenticationFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 15001, Level = LogLevel.Warning, EventName = "ChatProvidersUnavailable",
        Message = "Every chat provider is unavailable ({Attempts} calls); answering with the degraded response")]
    public static partial void AllProvidersUnavailable(ILogger logger, int attempts);

    [LoggerMessage(EventId = 15002, Level = LogLevel.Information, EventName = "ChatFailover",
        Message = "Chat provider {Provider} failed ({Kind}); failing over")]
    public static partial void Failover(ILogger logger, string provider, ChatErrorKind kind);

    [LoggerMessage(EventId = 15003, Level = LogLevel.Warning, EventName = "ChatStreamInterrupted",
        Message = "Chat provider {Provider} failed after streaming {Updates} updates; no failover once output reached the caller")]
    public static partial void StreamInterrupted(ILogger logger, string provider, int updates, Exception exception);

    [LoggerMessage(EventId = 15004, Level = LogLevel.Warning, EventName = "ChatAlertHandlerFailed",
        Message = "A handler of the provider-blacklisted event threw; the request continues")]
    public static partial void AlertHandlerFailed(ILogger logger, Exception exception);
}
