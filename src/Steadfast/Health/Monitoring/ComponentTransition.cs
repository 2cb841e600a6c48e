namespace Steadfast.Health.Monitoring;

/// <summary>A component's health after a check, and its previous health when the status changed (to raise events outside the lock).</summary>
internal readonly record struct ComponentTransition(ComponentHealth Current, ComponentHealth? Previous);
