using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The retry strategy's and the retry budget's instruments on <see cref="SteadfastTelemetry.Meter"/>. Tagged with <see cref="PolicyTags.Name"/>.</summary>
internal static class RetryTelemetry
{
    public static readonly Counter<long> Retries = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.retry.retries", "{retry}", "Retries scheduled after a failed attempt.");

    public static readonly Counter<long> BudgetRefused = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.retry.budget.refused", "{retry}", "Retries a retry budget refused.");
}
