using System.Globalization;
using StackExchange.Redis;
using Steadfast.Redis.Core;
using Steadfast.Redis.Learning;

namespace Steadfast;

/// <summary>
/// An <see cref="IFailureStore"/> and <see cref="IStrategyStatisticsStore"/> on Redis, shared by every machine that names
/// the same server and <see cref="RedisStoreOptions.KeyPrefix"/>: failures, the blacklist, strategy statistics and
/// analytics. Blacklist changes are published on a channel (<see cref="IBlacklistChangeSource"/>), so the
/// <see cref="FailureAnalyzer"/> of every machine applies another machine's entry within milliseconds, not at the next poll;
/// saved failures are published on the same channel (<see cref="IFailureChangeSource"/>), so they count toward every
/// machine's pattern detection and automatic blacklist as soon as the recording machine's write-behind writes them.
/// </summary>
/// <remarks>
/// Failures are deleted by <see cref="CleanupOldFailuresAsync"/> (the analyzer's periodic cleanup, as on SQLite), and every
/// failure key expires <see cref="RedisStoreOptions.FailureRetention"/> after the last write. When Redis cannot be reached every call throws <see cref="StoreException"/>
/// (<see cref="StoreFailure.Unavailable"/>); the analyzer then keeps learning in memory and writes what it buffered once
/// Redis is back. The store does not own the multiplexer: disposing the store leaves it open.
/// </remarks>
public sealed class RedisFailureStore : IFailureStore, IStrategyStatisticsStore, IBlacklistChangeSource, IFailureChangeSource
{
    private const char Separator = '\u001f';
    private const int PageSize = 256;
    private readonly RedisStoreConnection _connection;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly RedisChangeFeed _feed;

    /// <summary>Creates the store. Does no I/O.</summary>
    /// <param name="redis">The connection; shared with the other stores, not disposed by this one.</param>
    /// <param name="options">The key prefix and the retention; validated and copied. <see langword="null"/> uses the defaults.</param>
    /// <param name="timeProvider">The clock for expiry and retention; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisFailureStore(IConnectionMultiplexer redis, RedisStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        _connection = new RedisStoreConnection(redis, options, nameof(RedisFailureStore));
        _keys = _connection.Keys;
        _time = timeProvider ?? TimeProvider.System;
        _feed = new RedisChangeFeed(_connection, _keys.LearningChannel, ResyncAsync);
    }

    /// <summary>The store's name and servers, as logs show it.</summary>
    /// <returns>For example <c>RedisFailureStore(127.0.0.1:6379, steadfast:)</c>.</returns>
    public override string ToString() => $"{nameof(RedisFailureStore)}({_connection.Location}, {_connection.Options.KeyPrefix})";

    /// <inheritdoc />
    public async ValueTask<long> SaveFailureAsync(Failure failure, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return (await SaveAsync([failure], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc />
    public async ValueTask SaveFailuresAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count > 0)
        {
            await SaveAsync(failures, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var index = operation is null ? _keys.FailuresByTime : _keys.FailuresByOperation(operation);
        var min = since is { } s ? Math.Floor(s.ToUnixTimeMilliseconds() * 1.0) : double.NegativeInfinity;
        return _connection.RunAsync<IReadOnlyList<Failure>>("read failures", async db =>
        {
            var result = new List<Failure>();
            for (long skip = 0; result.Count < limit; skip += PageSize)
            {
                var ids = await db.SortedSetRangeByScoreAsync(index, min, double.PositiveInfinity, Exclude.None, Order.Descending, skip, PageSize).ConfigureAwait(false);
                if (ids.Length == 0)
                {
                    break;
                }

                var values = await db.HashGetAsync(_keys.FailureData, ids).ConfigureAwait(false);
                foreach (var failure in values.Where(v => v.HasValue).Select(v => ReadFailure(v!)))
                {
                    if ((errorType is null || failure.ErrorType == errorType) && (since is null || failure.Timestamp >= since))
                    {
                        result.Add(failure);
                    }
                }
            }

            // The index orders by millisecond; order exactly (time, then id) before cutting at the limit.
            return [.. result.OrderByDescending(f => f.Timestamp).ThenByDescending(f => f.Id).Take(limit)];
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> CleanupOldFailuresAsync(int days, CancellationToken cancellationToken = default)
    {
        FailureRetention.ThrowIfOutOfRange(days);
        return DeleteOlderThanAsync(_time.GetUtcNow() - TimeSpan.FromDays(days), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask AddToBlacklistAsync(BlacklistEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var json = RedisJson.ToJson(entry);
        await _connection.ExecuteAsync("add a blacklist entry", async db =>
        {
            await db.HashSetAsync(_keys.Blacklist, BlacklistField(entry.StrategyName, entry.Operation), RedisJson.Write(json, RedisJsonContext.Default.BlacklistJson)).ConfigureAwait(false);
            await _feed.PublishAsync(new ChangeMessage(RedisJson.Version, _feed.Origin, "blacklist-set", entry.StrategyName, entry.Operation, json, null)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> IsBlacklistedAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
    {
        var value = await _connection.RunAsync("read the blacklist", db => db.HashGetAsync(_keys.Blacklist, BlacklistField(strategyName, operation)), cancellationToken).ConfigureAwait(false);
        return value.HasValue && ReadEntry(value!).IsActiveAt(_time.GetUtcNow());
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveFromBlacklistAsync(string strategyName, string operation, CancellationToken cancellationToken = default)
        => _connection.RunAsync("remove a blacklist entry", async db =>
        {
            var removed = await db.HashDeleteAsync(_keys.Blacklist, BlacklistField(strategyName, operation)).ConfigureAwait(false);
            await _feed.PublishAsync(new ChangeMessage(RedisJson.Version, _feed.Origin, "blacklist-removed", strategyName, operation, null, null)).ConfigureAwait(false);
            return removed;
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default)
    {
        var all = await ReadBlacklistAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        return [.. all.Where(e => includeExpired || e.IsActiveAt(now)).OrderBy(e => e.AddedAt)];
    }

    /// <inheritdoc />
    public async ValueTask<FailureAnalytics> GetFailureAnalyticsAsync(CancellationToken cancellationToken = default)
    {
        var counts = await _connection.RunAsync("read failure counts", db => db.HashGetAllAsync(_keys.FailureCounts), cancellationToken).ConfigureAwait(false);
        var blacklist = await ReadBlacklistAsync(cancellationToken).ConfigureAwait(false);
        var builder = new FailureAnalyticsBuilder();
        foreach (var count in counts)
        {
            var parts = ((string)count.Name!).Split(Separator, 3);
            if (parts.Length == 3 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var day) && (long)count.Value > 0)
            {
                builder.Add(day, parts[1], parts[2], (long)count.Value);
            }
        }

        var now = _time.GetUtcNow();
        return builder.Build(now, blacklist.Count(e => e.IsActiveAt(now)));
    }

    /// <inheritdoc />
    public ValueTask ClearAllAsync(CancellationToken cancellationToken = default)
        => _connection.ExecuteAsync("clear the learning", async db =>
        {
            var server = _connection.Multiplexer.GetServers().FirstOrDefault(s => !s.IsReplica);
            var keys = new List<RedisKey> { _keys.FailureData, _keys.FailuresByTime, _keys.FailureCounts, _keys.Blacklist, _keys.Statistics };
            if (server is not null)
            {
                await foreach (var key in server.KeysAsync(db.Database, _keys.FailuresByOperationPattern, pageSize: 1000).ConfigureAwait(false))
                {
                    keys.Add(key);
                }
            }

            await db.KeyDeleteAsync([.. keys]).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask MergeStrategyStatisticsAsync(IReadOnlyList<StrategyStatistics> increments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(increments);
        if (increments.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var args = new RedisValue[increments.Count * 7];
        for (var i = 0; i < increments.Count; i++)
        {
            var s = increments[i];
            args[(i * 7) + 0] = BlacklistField(s.StrategyName, s.Operation);
            args[(i * 7) + 1] = s.Successes;
            args[(i * 7) + 2] = s.Failures;
            args[(i * 7) + 3] = s.LatencySamples;
            args[(i * 7) + 4] = s.MeanLatency.Ticks * s.LatencySamples;
            args[(i * 7) + 5] = s.LastSuccessAt is { } ls ? ls.UtcTicks.ToString(CultureInfo.InvariantCulture) : string.Empty;
            args[(i * 7) + 6] = s.LastFailureAt is { } lf ? lf.UtcTicks.ToString(CultureInfo.InvariantCulture) : string.Empty;
        }

        return _connection.ExecuteAsync("merge strategy statistics", db => db.ScriptEvaluateAsync(RedisFailureScripts.MergeStatistics, [_keys.Statistics], args), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default)
    {
        var fields = await _connection.RunAsync("read strategy statistics", db => db.HashGetAllAsync(_keys.Statistics), cancellationToken).ConfigureAwait(false);
        return RedisStatisticsReader.Read(fields, Separator);
    }

    /// <inheritdoc />
    public IDisposable SubscribeBlacklistChanges(Action<BlacklistChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        return _feed.Subscribe(message =>
        {
            if (message.Strategy is { } strategy && message.Operation is { } operation)
            {
                onChange(new BlacklistChange(strategy, operation, message.Kind == "blacklist-set" && message.Entry is { } e ? RedisJson.FromJson(e) : null));
            }
        });
    }

    /// <inheritdoc />
    public IDisposable SubscribeFailures(Action<IReadOnlyList<Failure>> onFailures)
    {
        ArgumentNullException.ThrowIfNull(onFailures);
        return _feed.Subscribe(message =>
        {
            if (message.Failures is { Count: > 0 } failures)
            {
                onFailures([.. failures.Select(RedisJson.FromJson)]);
            }
        });
    }

    /// <summary>Completes once this store listens to the other machines' changes (after the first subscriber).</summary>
    internal Task ChangesSubscribed => _feed.Ready;

    /// <summary>Nothing to release: the multiplexer belongs to the caller. Present because every store is <see cref="IAsyncDisposable"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>After a reconnect: every stored entry, as if just published, so entries added meanwhile by other machines apply here.</summary>
    private async Task<IReadOnlyList<ChangeMessage>> ResyncAsync()
    {
        var entries = await ReadBlacklistAsync(CancellationToken.None).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        return [.. entries.Where(e => e.IsActiveAt(now)).Select(e => new ChangeMessage(RedisJson.Version, "resync", "blacklist-set", e.StrategyName, e.Operation, RedisJson.ToJson(e), null))];
    }

    private static string BlacklistField(string strategy, string operation) => strategy + Separator + operation;

    private static double Score(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static Failure ReadFailure(string json)
        => RedisJson.FromJson(RedisJson.Read(json, RedisJsonContext.Default.FailureJson, static j => j.V, nameof(RedisFailureStore), "failure"));

    private static BlacklistEntry ReadEntry(string json)
        => RedisJson.FromJson(RedisJson.Read(json, RedisJsonContext.Default.BlacklistJson, static j => j.V, nameof(RedisFailureStore), "blacklist entry"));

    private async ValueTask<List<BlacklistEntry>> ReadBlacklistAsync(CancellationToken cancellationToken)
    {
        var fields = await _connection.RunAsync("read the blacklist", db => db.HashGetAllAsync(_keys.Blacklist), cancellationToken).ConfigureAwait(false);
        return [.. fields.Select(f => ReadEntry(f.Value!))];
    }

    private static string CountField(Failure f)
        => FailureAnalyticsBuilder.DayNumber(f.Timestamp).ToString(CultureInfo.InvariantCulture) + Separator + f.Operation + Separator + f.ErrorType;

    private async ValueTask<long[]> SaveAsync(IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
    {
        var retention = _connection.Options.FailureRetention;
        return await _connection.RunAsync("save failures", async db =>
        {
            var last = await db.StringIncrementAsync(_keys.FailureIds, failures.Count).ConfigureAwait(false);
            var assigned = new long[failures.Count];
            var published = new FailureJson[failures.Count];
            var transaction = db.CreateTransaction();
            var operations = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < failures.Count; i++)
            {
                var f = failures[i];
                var id = assigned[i] = last - failures.Count + 1 + i;
                published[i] = RedisJson.ToJson(f, id);
                _ = transaction.HashSetAsync(_keys.FailureData, id, RedisJson.Write(published[i], RedisJsonContext.Default.FailureJson));
                _ = transaction.SortedSetAddAsync(_keys.FailuresByTime, id, Score(f.Timestamp));
                _ = transaction.SortedSetAddAsync(_keys.FailuresByOperation(f.Operation), id, Score(f.Timestamp));
                _ = transaction.HashIncrementAsync(_keys.FailureCounts, CountField(f));
                operations.Add(f.Operation);
            }

            // Retention as TTLs: an application that stops writing leaves nothing behind after the retention.
            foreach (var key in new[] { _keys.FailureData, _keys.FailuresByTime, _keys.FailureCounts, _keys.FailureIds }.Concat(operations.Select(_keys.FailuresByOperation)))
            {
                _ = transaction.KeyExpireAsync(key, retention);
            }

            await transaction.ExecuteAsync().ConfigureAwait(false);
            await PublishSavedAsync(published).ConfigureAwait(false);
            return assigned;
        }, cancellationToken).ConfigureAwait(false);
    }

    // The failures are stored: a lost publish must not fail the save (the write-behind would write them twice); the other
    // machines then miss them until their next load, as pub/sub promises no more.
    private async Task PublishSavedAsync(FailureJson[] saved)
    {
        try
        {
            await _feed.PublishAsync(new ChangeMessage(RedisJson.Version, _feed.Origin, "failures", null, null, null, null, saved)).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisErrors.IsRedisError(ex))
        {
            // see above
        }
    }

    private ValueTask<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
        => _connection.RunAsync("delete old failures", async db =>
        {
            var deleted = 0;
            while (true)
            {
                var ids = await db.SortedSetRangeByScoreAsync(_keys.FailuresByTime, double.NegativeInfinity, Score(cutoff), Exclude.None, Order.Ascending, 0, 500).ConfigureAwait(false);
                if (ids.Length == 0)
                {
                    return deleted;
                }

                var values = await db.HashGetAsync(_keys.FailureData, ids).ConfigureAwait(false);
                var keys = new List<RedisKey> { _keys.FailureData, _keys.FailuresByTime, _keys.FailureCounts };
                var args = new List<RedisValue>();
                var old = 0;
                for (var i = 0; i < ids.Length; i++)
                {
                    if (!values[i].HasValue)
                    {
                        await db.SortedSetRemoveAsync(_keys.FailuresByTime, ids[i]).ConfigureAwait(false); // an index entry left by a lost race
                        continue;
                    }

                    var failure = ReadFailure(values[i]!);
                    if (failure.Timestamp >= cutoff)
                    {
                        continue; // same millisecond as the cutoff but not older
                    }

                    old++;
                    keys.Add(_keys.FailuresByOperation(failure.Operation));
                    args.Add(ids[i]);
                    args.Add(CountField(failure));
                }

                if (old > 0)
                {
                    deleted += (int)await db.ScriptEvaluateAsync(RedisFailureScripts.Delete, [.. keys], [.. args]).ConfigureAwait(false);
                }

                if (old < ids.Length)
                {
                    return deleted; // the rest is within the cutoff's millisecond
                }
            }
        }, cancellationToken);
}
