using System.Diagnostics.Metrics;
using Steadfast.Telemetry;

namespace Steadfast.Events.Bus;

/// <summary>The event bus's instruments.</summary>
internal static class EventBusTelemetry
{
    public static readonly Counter<long> Published = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.events.published", "{event}", "Events queued for a subscriber of the in-process event bus.");

    public static readonly Counter<long> Dropped = SteadfastTelemetry.Meter.CreateCounter<long>(
        "steadfast.events.dropped", "{event}", "Fire-and-forget events dropped because a subscriber's queue was full.");
}
