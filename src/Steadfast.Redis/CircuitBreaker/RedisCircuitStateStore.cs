using StackExchange.Redis;
using Steadfast.Redis.Core;

namespace Steadfast;

/// <summary>
/// An <see cref="ICircuitStateStore"/> on Redis shared by every machine: each saved snapshot is stored (one hash field per
/// circuit) and published, so the <see cref="CircuitBreakerRegistry"/> of every other machine applies a circuit another one
/// opened within milliseconds (<see cref="ICircuitStateChangeSource"/>), and re-reads the stored circuits after a reconnect.
/// Half-open probes are bounded across the machines (<see cref="ICircuitProbeGate"/>, one Lua script per probe). Counting
/// stays local and no call but a half-open probe waits for Redis.
/// </summary>
/// <remarks>
/// When Redis cannot be reached a save throws <see cref="StoreException"/> (<see cref="StoreFailure.Unavailable"/>): the
/// registry logs it and every machine keeps its own breaker; the next transition after Redis returns saves again, and a
/// restarted machine restores from Redis. The store does not own the multiplexer.
/// </remarks>
public sealed class RedisCircuitStateStore : ICircuitStateStore, ICircuitStateChangeSource, ICircuitProbeGate
{
    private readonly RedisStoreConnection _connection;
    private readonly RedisChangeFeed _feed;

    /// <summary>Creates the store. Does no I/O.</summary>
    /// <param name="redis">The connection; shared with the other stores, not disposed by this one.</param>
    /// <param name="options">The key prefix; validated and copied. <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisCircuitStateStore(IConnectionMultiplexer redis, RedisStoreOptions? options = null)
    {
        _connection = new RedisStoreConnection(redis, options, nameof(RedisCircuitStateStore));
        _feed = new RedisChangeFeed(_connection, _connection.Keys.CircuitChannel, ResyncAsync);
    }

    /// <summary>The store's name and servers, as logs show it.</summary>
    /// <returns>For example <c>RedisCircuitStateStore(127.0.0.1:6379, steadfast:)</c>.</returns>
    public override string ToString() => $"{nameof(RedisCircuitStateStore)}({_connection.Location}, {_connection.Options.KeyPrefix})";

    /// <inheritdoc />
    public ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var json = RedisJson.ToJson(snapshot) with { Origin = _feed.Origin };
        return _connection.ExecuteAsync("save a circuit", async db =>
        {
            await db.HashSetAsync(_connection.Keys.Circuits, snapshot.Name, RedisJson.Write(json, RedisJsonContext.Default.CircuitJson)).ConfigureAwait(false);
            await _feed.PublishAsync(new ChangeMessage(RedisJson.Version, _feed.Origin, "circuit", null, null, null, json)).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var value = await _connection.RunAsync("load a circuit", db => db.HashGetAsync(_connection.Keys.Circuits, name), cancellationToken).ConfigureAwait(false);
        return value.HasValue ? Read(value!) : null;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        var all = await _connection.RunAsync("load the circuits", db => db.HashGetAllAsync(_connection.Keys.Circuits), cancellationToken).ConfigureAwait(false);
        return [.. all.Select(e => Read(e.Value!))];
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _connection.RunAsync("delete a circuit", db => db.HashDeleteAsync(_connection.Keys.Circuits, name), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="StoreException">Redis cannot be reached (the circuit then admits the probe by its local limit).</exception>
    public async ValueTask<bool> TryAdmitProbeAsync(string circuitName, long generation, int maxProbes, TimeSpan roundDuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(circuitName);
        if (!_connection.Multiplexer.IsConnected)
        {
            // Known down: answer at once rather than wait for the command's timeout; the probe goes by the local limit.
            throw new StoreException(StoreFailure.Unavailable, nameof(RedisCircuitStateStore), _connection.Location,
                $"{nameof(RedisCircuitStateStore)} could not take a probe permit on Redis {_connection.Location}: not connected.", null);
        }

        var lifetime = (long)Math.Max(1000, roundDuration.TotalMilliseconds * 2);
        var taken = await _connection.RunAsync("take a probe permit",
            db => db.ScriptEvaluateAsync(RedisCircuitScripts.TakeProbePermit, [_connection.Keys.CircuitProbes(circuitName, generation)], [maxProbes, lifetime]),
            cancellationToken).ConfigureAwait(false);
        return (long)taken == 1;
    }

    /// <inheritdoc />
    public IDisposable SubscribeCircuitChanges(Action<CircuitBreakerSnapshot> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        return _feed.Subscribe(message =>
        {
            if (message.Circuit is { } circuit)
            {
                onChange(RedisJson.FromJson(circuit));
            }
        });
    }

    /// <summary>This store instance's identity in what it stores and publishes.</summary>
    internal string Origin => _feed.Origin;

    /// <summary>Completes once this store listens to the other machines' changes (after the first subscriber).</summary>
    internal Task ChangesSubscribed => _feed.Ready;

    /// <summary>Nothing to release: the multiplexer belongs to the caller. Present because every store is <see cref="IAsyncDisposable"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CircuitBreakerSnapshot Read(string json) => RedisJson.FromJson(ReadJson(json));

    private static CircuitJson ReadJson(string json)
        => RedisJson.Read(json, RedisJsonContext.Default.CircuitJson, static j => j.V, nameof(RedisCircuitStateStore), "circuit snapshot");

    /// <summary>
    /// After a reconnect: every snapshot another machine stored, as if just published, so a circuit opened elsewhere while
    /// this machine was cut off is in force here (pub/sub loses what it published meanwhile). This machine's own snapshots
    /// are skipped: they may be older than its circuits, whose saves failed during the outage.
    /// </summary>
    private async Task<IReadOnlyList<ChangeMessage>> ResyncAsync()
    {
        var all = await _connection.RunAsync("load the circuits", db => db.HashGetAllAsync(_connection.Keys.Circuits), CancellationToken.None).ConfigureAwait(false);
        return [.. all.Select(e => ReadJson(e.Value!)).Where(j => j.Origin != _feed.Origin).Select(j => new ChangeMessage(RedisJson.Version, "resync", "circuit", null, null, null, j))];
    }
}
