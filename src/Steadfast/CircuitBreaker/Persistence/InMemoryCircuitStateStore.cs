using System.Collections.Concurrent;

namespace Steadfast;

/// <summary>
/// An <see cref="ICircuitStateStore"/> that keeps snapshots in the process's memory: the default when persistence is
/// off, and for tests. Snapshots do not survive a restart; use the SQLite or Redis store for that.
/// </summary>
public sealed class InMemoryCircuitStateStore : ICircuitStateStore
{
    private readonly ConcurrentDictionary<string, CircuitBreakerSnapshot> _snapshots = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        cancellationToken.ThrowIfCancellationRequested();
        _snapshots[snapshot.Name] = snapshot;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_snapshots.TryGetValue(name, out var s) ? s : null);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<CircuitBreakerSnapshot>>(_snapshots.Values.ToArray());
    }

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_snapshots.TryRemove(name, out _));
    }

    /// <summary>Nothing to release: the data lives as long as the store. Present because every store is <see cref="IAsyncDisposable"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
