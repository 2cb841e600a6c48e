using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The engine's counters on the <c>Steadfast</c> meter (see docs/telemetry.md). The tag values are cached names, so recording allocates nothing.</summary>
internal static class EngineMetrics
{
    private static readonly Counter<long> Executions = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.engine.executions", unit: "{execution}", description: "Engine executions, by operation and stop reason.");

    private static readonly Counter<long> Attempts = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.engine.attempts", unit: "{attempt}", description: "Engine attempts, by operation, strategy and outcome.");

    private static readonly Counter<long> Escalations = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.engine.escalations", unit: "{escalation}", description: "Executions escalated after too many failures.");

    private static readonly string[] StopReasonNames = Enum.GetNames<StopReason>();
    private static readonly string[] OutcomeNames = Enum.GetNames<AttemptOutcome>();

    public static void Execution(string operation, StopReason stopReason) =>
        Executions.Add(1, new("operation", operation), new("stop_reason", StopReasonNames[(int)stopReason]));

    public static void Attempt(string operation, string strategy, AttemptOutcome outcome) =>
        Attempts.Add(1, new("operation", operation), new("strategy", strategy), new("outcome", OutcomeNames[(int)outcome]));

    public static void Escalation(string operation) =>
        Escalations.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
