namespace Steadfast;

/// <summary>
/// Where <see cref="FailureAnalyzer"/> keeps failures and the blacklist so they survive a restart.
/// Implementations: <see cref="InMemoryFailureStore"/> (the default without persistence),
/// <see cref="SqliteFailureStore"/> (the embedded default) and Redis.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use. A store that cannot do its work throws
/// (<see cref="StoreException"/> naming the store, the kind of failure and what to do); the analyzer catches,
/// keeps working in memory and tries again later. Operation and strategy names are case-sensitive.
/// </remarks>
public interface IFailureStore : IAsyncDisposable
{
    /// <summary>Saves one failure.</summary>
    /// <param name="failure">The failure; its context must already be redacted.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>The identifier the store gave it.</returns>
    ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default);

    /// <summary>Saves many failures at once, in one transaction where the store has them.</summary>
    /// <param name="failures">The failures; their context must already be redacted.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when all are stored.</returns>
    ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default);

    /// <summary>Reads failures, newest first.</summary>
    /// <param name="operation">Only this operation, when given.</param>
    /// <param name="errorType">Only this error type, when given.</param>
    /// <param name="since">Only failures at or after this time, when given.</param>
    /// <param name="limit">At most this many (1 or more).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The failures, newest first.</returns>
    ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default);

    /// <summary>Deletes failures older than <paramref name="days"/> days.</summary>
    /// <param name="days">The age in days beyond which failures are deleted: <see cref="FailureRetention.MinDays"/> to <see cref="FailureRetention.MaxDays"/>.</param>
    /// <param name="cancellationToken">Cancels the cleanup.</param>
    /// <returns>How many failures were deleted.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is out of range (<see cref="FailureRetention.ThrowIfOutOfRange"/>).</exception>
    ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the blacklist entry of a strategy for an operation.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Whether a strategy has an entry in force for an operation.</summary>
    /// <param name="strategyName">The strategy.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="true"/> when blacklisted and not expired.</returns>
    ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry of a strategy for an operation, expired or not.</summary>
    /// <param name="strategyName">The strategy.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when an entry was removed.</returns>
    ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default);

    /// <summary>Reads the blacklist.</summary>
    /// <param name="includeExpired">Whether expired automatic entries (kept so the next expiry can grow) are included.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, oldest first.</returns>
    ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default);

    /// <summary>Summarises the stored failures.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Totals, top error types and operations, and the last 7 days.</returns>
    ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes everything: failures, blacklist and statistics. Learning starts again from nothing.</summary>
    /// <param name="cancellationToken">Cancels the reset.</param>
    /// <returns>A task that completes when the store is empty.</returns>
    ValueTask ClearAllAsync(CancellationToken cancellationToken = default);
}
