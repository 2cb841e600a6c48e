using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The fallback strategy's instrument on <see cref="SteadfastTelemetry.Meter"/>. Tagged with <see cref="PolicyTags.Name"/>.</summary>
internal static class FallbackTelemetry
{
    public static readonly Counter<long> Invocations = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.fallback.invocations", "{fallback}", "Fallbacks invoked after the operation failed.");
}
