using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

internal static partial class Log
{
    [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, EventName = "OperationTimedOut",
        Message = "Timeout policy '{Name}': the operation ran past {TimeoutMs} ms and was cancelled")]
    public static partial void OperationTimedOut(ILogger logger, string name, double timeoutMs);
}
