namespace Steadfast.Redis.Events;

/// <summary>One event to hand to this process's handlers, with the handlers current at publish time and, for an acknowledged publish, its completion.</summary>
internal sealed record LocalDelivery(object Event, Type EventType, EventSubscription[] Handlers, TaskCompletionSource? Done);
