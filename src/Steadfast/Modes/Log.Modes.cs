using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>Operation modes: event ids 5100-5199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, EventName = "OperationModeChanged",
        Message = "The operation mode is {Current} (was {Previous}): {Reasons}")]
    public static partial void OperationModeChanged(ILogger logger, OperationMode current, OperationMode previous, string reasons);
}
