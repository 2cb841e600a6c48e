using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>
/// The source-generated log messages of the core package. One class, split into one partial file per
/// feature (<c>Log.CircuitBreaker.cs</c>, <c>Log.Engine.cs</c>, ...). Event ids are a contract once shipped;
/// each feature owns a range: 1000 circuit breaker, 1100 retry/timeout/rate limit, 1200 executor,
/// 2000 engine, 3000 learning, 3500 storage, 4000 durable, 5000 health.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, EventName = "SubscriberFailed",
        Message = "A subscriber to {EventName} threw; the execution continues")]
    public static partial void SubscriberFailed(ILogger logger, string eventName, Exception exception);
}
