using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The timeout strategy's instrument on <see cref="SteadfastTelemetry.Meter"/>. Tagged with <see cref="PolicyTags.Name"/>.</summary>
internal static class TimeoutTelemetry
{
    public static readonly Counter<long> Timeouts = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.timeout.timeouts", "{timeout}", "Attempts cancelled because they ran past their timeout.");
}
