namespace Steadfast.Tests.Learning;

/// <summary>The real in-memory store behind both store interfaces, with every member overridable, for stores that watch or hold back calls.</summary>
public class DelegatingFailureStore(InMemoryFailureStore inner) : IFailureStore, IStrategyStatisticsStore
{
    public InMemoryFailureStore Inner => inner;

    public virtual ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default) => inner.MergeStrategyStatisticsAsync(increments, cancellationToken);

    public virtual ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default) => inner.GetStrategyStatisticsAsync(cancellationToken);

    public virtual ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default) => inner.SaveFailureAsync(failure, cancellationToken);

    public virtual ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default) => inner.SaveFailuresAsync(failures, cancellationToken);

    public virtual ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default) =>
        inner.GetFailuresAsync(operation, errorType, since, limit, cancellationToken);

    public virtual ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default) => inner.CleanupOldFailuresAsync(days, cancellationToken);

    public virtual ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default) => inner.AddToBlacklistAsync(entry, cancellationToken);

    public virtual ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default) => inner.IsBlacklistedAsync(strategyName, operation, cancellationToken);

    public virtual ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default) => inner.RemoveFromBlacklistAsync(strategyName, operation, cancellationToken);

    public virtual ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default) => inner.GetBlacklistAsync(includeExpired, cancellationToken);

    public virtual ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default) => inner.GetFailureAnalyticsAsync(cancellationToken);

    public virtual ValueTask ClearAllAsync(CancellationToken cancellationToken = default) => inner.ClearAllAsync(cancellationToken);

    public virtual ValueTask DisposeAsync() => inner.DisposeAsync();
}
