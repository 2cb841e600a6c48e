namespace Steadfast.Events.Bus;

/// <summary>One event queued for one subscription, with the acknowledgement to signal when it is handled (acknowledged publishes only).</summary>
internal readonly record struct Delivery(object Event, Acknowledgement? Acknowledgement);
