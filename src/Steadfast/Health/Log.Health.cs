using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>Health monitor: event ids 5000-5099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, EventName = "ComponentHealthChanged",
        Message = "Component '{Component}' is {Current} (was {Previous}): {Description}")]
    public static partial void ComponentHealthChanged(ILogger logger, string component, HealthStatus current, HealthStatus previous, string? description);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, EventName = "HealthCheckFailed",
        Message = "The health check of '{Component}' failed: {Reason}")]
    public static partial void HealthCheckFailed(ILogger logger, string component, string reason, Exception? exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, EventName = "HealthRoundFailed",
        Message = "A periodic health check round failed; the next round runs as scheduled")]
    public static partial void HealthRoundFailed(ILogger logger, Exception exception);
}
