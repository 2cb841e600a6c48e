using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The executor's instruments on <see cref="SteadfastTelemetry.Meter"/>. Tagged with <see cref="PolicyTags.Name"/>.</summary>
internal static class ResilientExecutorTelemetry
{
    /// <summary>The tag that carries an executor call's outcome: success, fallback or failure.</summary>
    public const string OutcomeTag = "steadfast.outcome";

    public static readonly Counter<long> Calls = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.executor.calls", "{call}", "Calls through a ResilientExecutor, by outcome.");

    public static readonly Histogram<double> AttemptDuration = SteadfastTelemetry.Meter.CreateHistogram<double>(
        "steadfast.attempt.duration", "s", "Duration of one attempt of an operation, rejections included.");
}
