using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

internal static partial class Log
{
    [LoggerMessage(EventId = 1140, Level = LogLevel.Warning, EventName = "RateLimitRejected",
        Message = "Rate limit '{Name}': call rejected; retry after {RetryAfterMs} ms (-1 = unknown)")]
    public static partial void RateLimitRejected(ILogger logger, string name, double retryAfterMs);
}
