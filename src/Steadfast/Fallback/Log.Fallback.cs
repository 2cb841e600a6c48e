using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

internal static partial class Log
{
    [LoggerMessage(EventId = 1160, Level = LogLevel.Information, EventName = "FallbackUsed",
        Message = "Fallback '{Name}': the operation failed; using the fallback")]
    public static partial void FallbackUsed(ILogger logger, string name, Exception? exception);
}
