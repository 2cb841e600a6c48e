namespace Steadfast.Cli.Demo.Storage;

/// <summary>
/// Opens the stores the demo keeps its learning in. The seam where tests put a failing disk: the demo's behaviour when
/// the disk fails is the demo's to show, the stores' own failure handling is tested with the stores.
/// </summary>
/// <param name="path">The full path of --db.</param>
/// <param name="time">The clock the store dates its reads by (the command's clock).</param>
internal delegate DemoStores DemoStoreFactory(string path, TimeProvider time);

/// <summary>The failure store and the circuit store of one demo run, both on --db; disposed together after the run.</summary>
/// <param name="Failures">Failures, blacklist and statistics (what the analyzer keeps).</param>
/// <param name="Circuits">Circuit snapshots (what the registry keeps).</param>
internal sealed record DemoStores(IFailureStore Failures, ICircuitStateStore Circuits) : IAsyncDisposable
{
#pragma warning disable CA2000 // The stores pass to the DemoStores, which disposes both (constructors that take a path do no I/O, so none can throw).
    /// <summary>The real thing: both stores in the SQLite file at <paramref name="path"/>.</summary>
    public static DemoStores Sqlite(string path, TimeProvider time) => new(new SqliteFailureStore(path, time), new SqliteCircuitStateStore(path));

    /// <summary>The same stores, each reporting its failures to <paramref name="watch"/> (disposing them disposes these).</summary>
    public DemoStores WatchedBy(PersistenceWatch watch) => new(new WatchedFailureStore(Failures, watch), new WatchedCircuitStore(Circuits, watch));
#pragma warning restore CA2000

    public async ValueTask DisposeAsync()
    {
        await Failures.DisposeAsync();
        await Circuits.DisposeAsync();
    }
}
