using Microsoft.Data.Sqlite;
using Steadfast.Cli.Demo.Storage;

namespace Steadfast.Cli.Tests.Demo.Storage;

/// <summary>
/// A failing disk under the demo's stores: in-memory stores that fail the way Steadfast's SQLite store does. Either the disk
/// fails from the start (every call, reads included: SQLite's "disk I/O error"), or it fills up mid-run (writes after the
/// first few fail with SQLite's "database or disk is full"; reads still work).
/// </summary>
internal sealed class FullDisk
{
    public const string FullMessage = "database or disk is full";
    public const string IoMessage = "disk I/O error";

    private readonly int _writesBeforeFull;
    private int _writes;
    private int _failures;

    private FullDisk(int writesBeforeFull) => _writesBeforeFull = writesBeforeFull;

    /// <summary>Calls that failed.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>A disk that fails every call from the first.</summary>
    public static FullDisk FromStart() => new(0);

    /// <summary>A disk that takes <paramref name="writes"/> writes, then is full.</summary>
    public static FullDisk After(int writes) => new(writes);

    /// <summary>The demo's store factory on this disk.</summary>
    public DemoStores Open(string path, TimeProvider time) =>
        new(new FailureStore(new InMemoryFailureStore(timeProvider: time), this, path), new CircuitStore(new InMemoryCircuitStateStore(), this, path));

    private void Write(string store, string path)
    {
        if (_writesBeforeFull == 0)
        {
            Fail(store, path);
        }

        if (Interlocked.Increment(ref _writes) > _writesBeforeFull)
        {
            Interlocked.Increment(ref _failures);
            throw new StoreException(StoreFailure.Full, store, path,
                $"{store} could not write in '{path}': the disk is full (SQLite error 13: '{FullMessage}'). Free space or shorten the retention.",
                new SqliteException(FullMessage, 13));
        }
    }

    private void Read(string store, string path)
    {
        if (_writesBeforeFull == 0)
        {
            Fail(store, path);
        }
    }

    private void Fail(string store, string path)
    {
        Interlocked.Increment(ref _failures);
        throw new StoreException(StoreFailure.Unavailable, store, path,
            $"{store} could not open the database in '{path}': a disk I/O error occurred (SQLite error 10: {IoMessage}). Check the disk and free space.",
            new SqliteException(IoMessage, 10));
    }

    private sealed class FailureStore(InMemoryFailureStore inner, FullDisk disk, string path) : IFailureStore, IStrategyStatisticsStore
    {
        private const string Name = "SqliteFailureStore";

        public ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.SaveFailureAsync(failure, cancellationToken);
        }

        public ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.SaveFailuresAsync(failures, cancellationToken);
        }

        public ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
        {
            disk.Read(Name, path);
            return inner.GetFailuresAsync(operation, errorType, since, limit, cancellationToken);
        }

        public ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.CleanupOldFailuresAsync(days, cancellationToken);
        }

        public ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.AddToBlacklistAsync(entry, cancellationToken);
        }

        public ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
        {
            disk.Read(Name, path);
            return inner.IsBlacklistedAsync(strategyName, operation, cancellationToken);
        }

        public ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.RemoveFromBlacklistAsync(strategyName, operation, cancellationToken);
        }

        public ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default)
        {
            disk.Read(Name, path);
            return inner.GetBlacklistAsync(includeExpired, cancellationToken);
        }

        public ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default)
        {
            disk.Read(Name, path);
            return inner.GetFailureAnalyticsAsync(cancellationToken);
        }

        public ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.ClearAllAsync(cancellationToken);
        }

        public ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.MergeStrategyStatisticsAsync(increments, cancellationToken);
        }

        public ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default)
        {
            disk.Read(Name, path);
            return inner.GetStrategyStatisticsAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class CircuitStore(InMemoryCircuitStateStore inner, FullDisk disk, string path) : ICircuitStateStore
    {
        private const string Name = "SqliteCircuitStateStore";

        public ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.SaveAsync(snapshot, cancellationToken);
        }

        public ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default)
        {
            disk.Read(Name, path);
            return inner.LoadAsync(name, cancellationToken);
        }

        public ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default)
        {
            disk.Read(Name, path);
            return inner.LoadAllAsync(cancellationToken);
        }

        public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
        {
            disk.Write(Name, path);
            return inner.DeleteAsync(name, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
