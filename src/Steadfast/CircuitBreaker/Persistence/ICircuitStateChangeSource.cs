namespace Steadfast;

/// <summary>
/// Implemented by an <see cref="ICircuitStateStore"/> that several processes share (the Redis store): it tells the
/// <see cref="CircuitBreakerRegistry"/> of every process about circuit snapshots another process saved, so a circuit one
/// machine opened is open on all of them at once and they stop calling the dead service.
/// </summary>
/// <remarks>
/// The registry subscribes when it is created and applies a snapshot whose state differs from its own circuit's
/// (<see cref="CircuitBreaker.Restore"/>; a half-open snapshot is ignored, probing stays local). Failures are still
/// counted by each process alone, and no call ever waits for the store. A store reports only snapshots saved by other
/// store instances.
/// </remarks>
public interface ICircuitStateChangeSource
{
    /// <summary>Subscribes to the snapshots other processes save.</summary>
    /// <param name="onChange">Called for each snapshot, off the caller's thread; must not block.</param>
    /// <returns>A subscription; disposing it stops the calls.</returns>
    IDisposable SubscribeCircuitChanges(Action<CircuitBreakerSnapshot> onChange);
}
