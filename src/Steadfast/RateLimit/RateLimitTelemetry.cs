using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The rate limit's instrument on <see cref="SteadfastTelemetry.Meter"/>. Tagged with <see cref="PolicyTags.Name"/>.</summary>
internal static class RateLimitTelemetry
{
    public static readonly Counter<long> Rejections = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.ratelimit.rejections", "{rejection}", "Calls refused by a rate limiter or bulkhead.");
}
