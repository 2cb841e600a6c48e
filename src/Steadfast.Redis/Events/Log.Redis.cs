using Microsoft.Extensions.Logging;

namespace Steadfast.Redis.Events;

/// <summary>Redis adapter: event ids 14000-14099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 14000, Level = LogLevel.Warning, EventName = "EventHandlerFailed",
        Message = "An event handler for {EventType} threw; the event was delivered to the other handlers")]
    public static partial void HandlerFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(EventId = 14001, Level = LogLevel.Warning, EventName = "EventPublishFailed",
        Message = "An event of type {EventType} could not be published to Redis; it was delivered to this process's subscribers only ({Dropped} events dropped so far)")]
    public static partial void PublishFailed(ILogger logger, string eventType, long dropped, Exception exception);

    [LoggerMessage(EventId = 14002, Level = LogLevel.Warning, EventName = "EventDropped",
        Message = "The Redis event bus is full ({Capacity} events queued): an event of type {EventType} was dropped ({Dropped} so far)")]
    public static partial void EventDropped(ILogger logger, string eventType, int capacity, long dropped);

    [LoggerMessage(EventId = 14003, Level = LogLevel.Debug, EventName = "EventIgnored",
        Message = "An event from Redis could not be read and was ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, string reason);
}
