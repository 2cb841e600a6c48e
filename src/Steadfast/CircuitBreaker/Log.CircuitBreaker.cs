using Microsoft.Extensions.Logging;

namespace Steadfast.Telemetry;

/// <summary>Circuit breaker log messages: event ids 1000-1099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, EventName = "CircuitOpened",
        Message = "Circuit {CircuitName} changed from {OldState} to {NewState} ({Reason}); calls are refused for {Cooldown}")]
    public static partial void CircuitOpened(ILogger logger, string circuitName, CircuitState oldState, CircuitState newState, CircuitTransitionReason reason, TimeSpan cooldown, Exception? lastError);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, EventName = "CircuitStateChanged",
        Message = "Circuit {CircuitName} changed from {OldState} to {NewState} ({Reason})")]
    public static partial void CircuitStateChanged(ILogger logger, string circuitName, CircuitState oldState, CircuitState newState, CircuitTransitionReason reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, EventName = "CircuitRejectedCall",
        Message = "Circuit {CircuitName} refused a call while {State}")]
    public static partial void CircuitRejectedCall(ILogger logger, string circuitName, CircuitState state);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, EventName = "CircuitShouldHandleFailed",
        Message = "A ShouldHandle or result predicate of circuit {CircuitName} threw; an exception then counts as a failure, a result as a success")]
    public static partial void CircuitShouldHandleFailed(ILogger logger, string circuitName, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, EventName = "CircuitStateSaveFailed",
        Message = "Saving the state of circuit {CircuitName} to {Store} failed; the circuit keeps working in memory and the next transition saves again")]
    public static partial void CircuitStateSaveFailed(ILogger logger, string circuitName, string store, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, EventName = "CircuitStateLoadFailed",
        Message = "Loading circuit states from {Store} failed; circuits start closed")]
    public static partial void CircuitStateLoadFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, EventName = "CircuitStateRestored",
        Message = "Circuit {CircuitName} restored as {State} from a snapshot saved at {SavedAt}")]
    public static partial void CircuitStateRestored(ILogger logger, string circuitName, CircuitState state, DateTimeOffset savedAt);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, EventName = "CircuitProbeGateUnavailable",
        Message = "The shared probe limit of circuit {CircuitName} could not be asked ({Gate}); the probe was admitted by the local limit alone")]
    public static partial void CircuitProbeGateUnavailable(ILogger logger, string circuitName, string gate, Exception exception);
}
