using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The learning counters on the <c>Steadfast</c> meter. Their names are a contract (docs/learning.md).</summary>
internal static class LearningMetrics
{
    public static readonly Counter<long> FailuresRecorded = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.failures", unit: "{failure}", description: "Failures recorded by the failure analyzer.");

    public static readonly Counter<long> FailuresDropped = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.failures.dropped", unit: "{failure}", description: "Failures kept in memory but not persisted because the write buffer was full.");

    public static readonly Counter<long> StrategiesBlacklisted = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.blacklist.additions", unit: "{entry}", description: "Strategies added to the blacklist.");

    public static readonly Counter<long> StoreErrors = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.learning.store.errors", unit: "{error}", description: "Failed attempts to use the failure store.");
}
