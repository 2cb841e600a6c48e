namespace Steadfast.Cli.Demo.Storage;

/// <summary>
/// The demo's failure store as the analyzer sees it: every call goes to the real store, and a failure is reported to the
/// <see cref="PersistenceWatch"/> before it goes on to the analyzer (which then works on in memory).
/// </summary>
internal sealed class WatchedFailureStore(IFailureStore inner, PersistenceWatch watch) : IFailureStore, IStrategyStatisticsStore
{
    public ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.SaveFailureAsync(failure, ct), cancellationToken);

    public ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.SaveFailuresAsync(failures, ct), cancellationToken);

    public ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.GetFailuresAsync(operation, errorType, since, limit, ct), cancellationToken);

    public ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.CleanupOldFailuresAsync(days, ct), cancellationToken);

    public ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.AddToBlacklistAsync(entry, ct), cancellationToken);

    public ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.IsBlacklistedAsync(strategyName, operation, ct), cancellationToken);

    public ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.RemoveFromBlacklistAsync(strategyName, operation, ct), cancellationToken);

    public ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.GetBlacklistAsync(includeExpired, ct), cancellationToken);

    public ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.GetFailureAnalyticsAsync(ct), cancellationToken);

    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default) =>
        WatchAsync(ct => inner.ClearAllAsync(ct), cancellationToken);

    public ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default) =>
        inner is IStrategyStatisticsStore statistics ? WatchAsync(ct => statistics.MergeStrategyStatisticsAsync(increments, ct), cancellationToken) : default;

    public ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default) =>
        inner is IStrategyStatisticsStore statistics
            ? WatchAsync(ct => statistics.GetStrategyStatisticsAsync(ct), cancellationToken)
            : ValueTask.FromResult<IReadOnlyList<StrategyStatistics>>([]);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>The real store's name: the analyzer names it in what it logs.</summary>
    public override string ToString() => inner.ToString() ?? inner.GetType().Name;

    private async ValueTask WatchAsync(Func<CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StoreErrors.IsStoreFailure(ex, cancellationToken))
        {
            watch.Report(ex);
            throw;
        }
    }

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
