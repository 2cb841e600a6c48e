using Microsoft.Extensions.Logging;
using Steadfast.Sqlite;

namespace Steadfast;

/// <summary>
/// The embedded default <see cref="IFailureStore"/> and <see cref="IStrategyStatisticsStore"/>: one SQLite file
/// (WAL, group commit, busy timeout) that several processes may share.
/// </summary>
/// <remarks>
/// The constructor does no I/O. The first call opens the file (creating it and its directory when missing), checks
/// that it is Steadfast's own and migrates its tables forward; a file that is not Steadfast's is refused with
/// <see cref="StoreException"/> of kind <see cref="StoreFailure.Foreign"/> and never modified. Writes are
/// group-committed: a call completes once its transaction is committed. Reads run on a read connection off the
/// caller's thread. Context must be redacted before it reaches the store (<see cref="FailureAnalyzer"/> does that;
/// <see cref="FailureStoreExtensions.SaveFailureAsync(IFailureStore, DateTimeOffset, string, string, string, IReadOnlyDictionary{string, object?}?, CancellationToken)"/> too).
/// </remarks>
public sealed class SqliteFailureStore : IFailureStore, IStrategyStatisticsStore
{
    private readonly SqliteStoreConnection _connection;
    private readonly SqliteFailureTable _failures;
    private readonly SqliteBlacklistTable _blacklist;
    private readonly SqliteStatisticsTable _statistics;
    private readonly SqliteFailureAnalyticsQuery _analytics;

    /// <summary>Creates a store over a SQLite file with the default settings.</summary>
    /// <param name="path">The file; relative paths are resolved against the current directory.</param>
    /// <param name="timeProvider">The clock for expiry and retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where migrations and batch writes are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public SqliteFailureStore(string path, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : this(new SqliteStoreOptions { Path = path }, timeProvider, loggerFactory)
    {
    }

    /// <summary>Creates a store over a SQLite file.</summary>
    /// <param name="options">The file and its settings; validated and copied.</param>
    /// <param name="timeProvider">The clock for expiry and retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Where migrations and batch writes are logged; nothing is logged when null.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SqliteFailureStore(SqliteStoreOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        _connection = new SqliteStoreConnection(options, SqliteSchemas.Learning, nameof(SqliteFailureStore), loggerFactory);
        _failures = new SqliteFailureTable(_connection, time, loggerFactory.CreateRedactingLogger("Steadfast.Sqlite"));
        _blacklist = new SqliteBlacklistTable(_connection, time);
        _statistics = new SqliteStatisticsTable(_connection);
        _analytics = new SqliteFailureAnalyticsQuery(_connection, time);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _connection.Path;

    /// <inheritdoc />
    public ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return _failures.SaveAsync([failure], cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count > 0)
        {
            await _failures.SaveAsync(failures, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _failures.GetAsync(operation, errorType, since, limit, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default)
    {
        FailureRetention.ThrowIfOutOfRange(days);
        return _failures.CleanupAsync(days, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _blacklist.AddAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        return _blacklist.IsBlacklistedAsync(strategyName, operation, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentNullException.ThrowIfNull(operation);
        return _blacklist.RemoveAsync(strategyName, operation, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default)
        => _blacklist.GetAsync(includeExpired, cancellationToken);

    /// <inheritdoc />
    public ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default)
        => _analytics.ReadAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
        => await _connection.WriteAsync("delete everything",
            w => w.Execute("DELETE FROM failures; DELETE FROM failure_rollup; DELETE FROM blacklist; DELETE FROM strategy_statistics;"),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(increments);
        if (increments.Count > 0)
        {
            await _statistics.MergeAsync(increments, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default)
        => _statistics.GetAsync(cancellationToken);

    /// <summary>Releases the file after the writes already accepted. Idempotent.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => _connection.ToString();
}
