namespace Steadfast;

/// <summary>
/// Keeps circuit breaker snapshots so circuits survive a restart. The <c>CircuitBreakerRegistry</c>
/// restores from it at start and saves on every state transition. Implementations: in memory, SQLite
/// (<c>SqliteCircuitStateStore</c>) and Redis.
/// </summary>
/// <remarks>Implementations must be safe for concurrent use. A failing store must throw, never lose a snapshot silently.</remarks>
public interface ICircuitStateStore : IAsyncDisposable
{
    /// <summary>Saves (inserts or replaces) the snapshot of one circuit.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the snapshot is durable.</returns>
    ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Loads the snapshot of one circuit.</summary>
    /// <param name="name">The circuit's name (case-sensitive).</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The snapshot, or <see langword="null"/> when none is stored.</returns>
    ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Loads every stored snapshot.</summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The snapshots, in no particular order.</returns>
    ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshot of one circuit.</summary>
    /// <param name="name">The circuit's name.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when a snapshot was deleted.</returns>
    ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
