namespace Steadfast.Cli.Demo.Storage;

/// <summary>
/// The demo's circuit store as the registry sees it: every call goes to the real store, and a failure is reported to the
/// <see cref="PersistenceWatch"/> before it goes on to the registry (which logs it and keeps the circuit in memory).
/// </summary>
internal sealed class WatchedCircuitStore(ICircuitStateStore inner, PersistenceWatch watch) : ICircuitStateStore
{
    public async ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.SaveAsync(snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreErrors.IsStoreFailure(ex, cancellationToken))
        {
            watch.Report(ex);
            throw;
        }
    }

    public ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.LoadAsync(name, ct), cancellationToken);

    public ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.LoadAllAsync(ct), cancellationToken);

    public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.DeleteAsync(name, ct), cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    public override string ToString() => inner.ToString() ?? inner.GetType().Name;

    private async ValueTask<T> WatchAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreErrors.IsStoreFailure(ex, cancellationToken))
        {
            watch.Report(ex);
            throw;
        }
    }
}
