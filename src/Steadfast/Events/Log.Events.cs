using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>Event bus: event ids 5200-5299.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning, EventName = "EventsDropped",
        Message = "The event bus dropped a {EventType} event: a subscriber's queue is full ({Capacity} events); {Dropped} events dropped so far")]
    public static partial void EventsDropped(ILogger logger, string eventType, int capacity, long dropped);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, EventName = "EventHandlerFailed",
        Message = "A subscriber to {EventType} threw; the event counts as handled and delivery goes on")]
    public static partial void EventHandlerFailed(ILogger logger, string eventType, Exception exception);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, EventName = "EventPublishFailed",
        Message = "Publishing a {EventType} event failed; the part that raised it goes on")]
    public static partial void EventPublishFailed(ILogger logger, string eventType, Exception exception);
}
