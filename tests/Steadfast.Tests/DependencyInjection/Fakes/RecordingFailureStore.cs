namespace Steadfast.Tests.DependencyInjection.Fakes;

/// <summary>An in-memory failure store that counts the failures saved before it was disposed and refuses writes after.</summary>
internal sealed class RecordingFailureStore : IFailureStore, IStrategyStatisticsStore
{
    private readonly InMemoryFailureStore _inner = new();
    private int _saved;
    private int _disposed;

    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    public int FailuresSavedBeforeDispose => Volatile.Read(ref _saved);

    public ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default)
    {
        Count(1);
        return _inner.SaveFailureAsync(failure, cancellationToken);
    }

    public ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default)
    {
        Count(failures.Count);
        return _inner.SaveFailuresAsync(failures, cancellationToken);
    }

    public ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default) =>
        _inner.GetFailuresAsync(operation, errorType, since, limit, cancellationToken);

    public ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default) => _inner.CleanupOldFailuresAsync(days, cancellationToken);

    public ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default) => _inner.AddToBlacklistAsync(entry, cancellationToken);

    public ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default) =>
        _inner.IsBlacklistedAsync(strategyName, operation, cancellationToken);

    public ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default) =>
        _inner.RemoveFromBlacklistAsync(strategyName, operation, cancellationToken);

    public ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default) =>
        _inner.GetBlacklistAsync(includeExpired, cancellationToken);

    public ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default) => _inner.GetFailureAnalyticsAsync(cancellationToken);

    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default) => _inner.ClearAllAsync(cancellationToken);

    public ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default) =>
        _inner.MergeStrategyStatisticsAsync(increments, cancellationToken);

    public ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default) =>
        _inner.GetStrategyStatisticsAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        return ValueTask.CompletedTask;
    }

    private void Count(int failures)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Interlocked.Add(ref _saved, failures);
    }
}
