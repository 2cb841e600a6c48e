using System.Diagnostics;
using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// The circuit breaker's instruments on <see cref="SteadfastTelemetry.Meter"/>. Every recording first checks
/// <see cref="Instrument.Enabled"/>, so a process nobody listens to pays a field read, not a tag list.
/// </summary>
internal static class CircuitBreakerTelemetry
{
    public const string CircuitTag = "steadfast.circuit.name";
    public const string OutcomeTag = "steadfast.outcome";
    public const string StateTag = "steadfast.circuit.state";
    public const string FromStateTag = "steadfast.circuit.from_state";
    public const string ToStateTag = "steadfast.circuit.to_state";
    public const string ReasonTag = "steadfast.circuit.reason";
    public const string ExceptionTypeTag = "error.type";

    public const string OutcomeSuccess = "success";
    public const string OutcomeFailure = "failure";
    public const string OutcomeIgnored = "ignored";

    public static readonly Counter<long> Calls = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.calls", "{call}", "Calls that passed through a circuit breaker and completed, by outcome.");

    public static readonly Counter<long> Failures = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.failures", "{call}", "Handled failures counted against a circuit.");

    public static readonly Counter<long> Rejections = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.rejections", "{call}", "Calls a circuit refused without invoking them.");

    public static readonly Counter<long> Transitions = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.circuit.transitions", "{transition}", "Circuit state changes.");

    public static readonly Histogram<double> AttemptDuration = SteadfastTelemetry.Meter.CreateHistogram<double>(
        "steadfast.circuit.attempt.duration", "s", "Duration of calls a circuit admitted, by outcome.");

    public static void RecordOutcome(string circuit, string outcome)
    {
        if (Calls.Enabled)
        {
            Calls.Add(1, new TagList { { CircuitTag, circuit }, { OutcomeTag, outcome } });
        }
    }

    public static void RecordFailure(string circuit, Exception? exception)
    {
        if (Failures.Enabled)
        {
            Failures.Add(1, new TagList { { CircuitTag, circuit }, { ExceptionTypeTag, exception?.GetType().FullName ?? "result" } });
        }
    }

    public static void RecordRejection(string circuit, CircuitState state)
    {
        if (Rejections.Enabled)
        {
            Rejections.Add(1, new TagList { { CircuitTag, circuit }, { StateTag, StateName(state) } });
        }
    }

    public static void RecordTransition(string circuit, CircuitState from, CircuitState to, CircuitTransitionReason reason)
    {
        if (Transitions.Enabled)
        {
            Transitions.Add(1, new TagList
            {
                { CircuitTag, circuit },
                { FromStateTag, StateName(from) },
                { ToStateTag, StateName(to) },
                { ReasonTag, reason.ToString() },
            });
        }
    }

    public static void RecordDuration(string circuit, TimeSpan elapsed, string outcome) =>
        AttemptDuration.Record(elapsed.TotalSeconds, new TagList { { CircuitTag, circuit }, { OutcomeTag, outcome } });

    // Cached lower-case names, so a tag never formats an enum.
    public static string StateName(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Isolated => "isolated",
        _ => "unknown",
    };
}
