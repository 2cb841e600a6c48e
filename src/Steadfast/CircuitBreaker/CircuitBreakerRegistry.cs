using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Holds circuit breakers by name, so every caller of a service shares one circuit, and optionally persists their
/// state through an <see cref="ICircuitStateStore"/>: <see cref="RestoreAsync"/> at start applies the stored
/// snapshots (a circuit open before a restart stays open for the rest of its cooldown), and every state transition
/// saves a snapshot in the background. A store failure is logged and never breaks a call.
/// </summary>
/// <remarks>Thread-safe. Names are case-sensitive.</remarks>
public sealed class CircuitBreakerRegistry : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreakerSnapshot> _pendingSnapshots = new(StringComparer.Ordinal);
    private readonly CircuitBreakerOptions _defaultOptions;
    private readonly ICircuitStateStore? _store;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly IDisposable? _remoteChanges;

    /// <summary>Creates a registry.</summary>
    /// <param name="defaultOptions">Options for circuits created without their own; <see langword="null"/> uses the defaults. Copied and validated here.</param>
    /// <param name="store">Where snapshots are kept; <see langword="null"/> keeps state in memory only.</param>
    /// <param name="timeProvider">The clock given to every circuit; <see langword="null"/> uses <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logs of the circuits and of the store; <see langword="null"/> logs nothing.</param>
    public CircuitBreakerRegistry(
        CircuitBreakerOptions? defaultOptions = null,
        ICircuitStateStore? store = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        _defaultOptions = defaultOptions?.Clone() ?? new CircuitBreakerOptions();
        _defaultOptions.Validate();
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateRedactingLogger<CircuitBreaker>();

        // A store shared by several processes tells us what the others saved: their open circuit becomes ours at once.
        _remoteChanges = (store as ICircuitStateChangeSource)?.SubscribeCircuitChanges(ApplyRemote);
    }

    /// <summary>A process-wide registry without persistence, for code that does not use dependency injection.</summary>
    public static CircuitBreakerRegistry Shared { get; } = new();

    /// <summary>The store snapshots are saved to, if any.</summary>
    public ICircuitStateStore? Store => _store;

    /// <summary>The number of circuits in the registry.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Returns the circuit with this name, creating it when it does not exist yet. A snapshot loaded by
    /// <see cref="RestoreAsync"/> for this name is applied when the circuit is created.
    /// </summary>
    /// <param name="name">The circuit's name.</param>
    /// <param name="options">Options for a new circuit (ignored when it already exists); <see langword="null"/> uses the registry's defaults.</param>
    /// <returns>The circuit.</returns>
    public CircuitBreaker GetOrCreate(string name, CircuitBreakerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_entries.TryGetValue(name, out var existing))
        {
            return existing.Breaker;
        }

        // Creation is rare; the lock keeps two racing callers from building (and subscribing) two circuits.
        lock (_lock)
        {
            if (_entries.TryGetValue(name, out existing))
            {
                return existing.Breaker;
            }

            var breaker = new CircuitBreaker(name, options ?? _defaultOptions, _time, _loggerFactory);
            if (_store is ICircuitProbeGate gate)
            {
                // A store shared by several processes bounds the half-open probes of all of them together.
                breaker.UseProbeGate(gate);
            }

            if (_pendingSnapshots.TryRemove(name, out var snapshot))
            {
                ApplySnapshot(breaker, snapshot);
            }

            var entry = new Entry(this, breaker);
            if (_store is not null)
            {
                breaker.StateChanged += entry.OnStateChanged;
            }

            _entries[name] = entry;
            return breaker;
        }
    }

    /// <summary>Finds a circuit by name.</summary>
    /// <param name="name">The circuit's name.</param>
    /// <param name="breaker">The circuit, when found.</param>
    /// <returns><see langword="true"/> when the circuit exists.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out CircuitBreaker? breaker)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_entries.TryGetValue(name, out var entry))
        {
            breaker = entry.Breaker;
            return true;
        }

        breaker = null;
        return false;
    }

    /// <summary>Returns every circuit in the registry, ordered by name.</summary>
    /// <returns>The circuits.</returns>
    public IReadOnlyList<CircuitBreaker> GetAll() =>
        _entries.Values.Select(e => e.Breaker).OrderBy(b => b.Name, StringComparer.Ordinal).ToArray();

    /// <summary>Returns the status of every circuit, ordered by name.</summary>
    /// <returns>The statuses.</returns>
    public IReadOnlyList<CircuitBreakerStatus> GetAllStatus() => GetAll().Select(b => b.GetStatus()).ToArray();

    /// <summary>Closes every circuit (<see cref="CircuitBreaker.Reset"/>).</summary>
    public void ResetAll()
    {
        foreach (var entry in _entries.Values)
        {
            entry.Breaker.Reset();
        }
    }

    /// <summary>
    /// Loads every snapshot from the store and applies it: at once to circuits that already exist, and on creation to
    /// the others. Call it once at start. A store failure is logged and the circuits start closed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>How many snapshots were loaded (0 without a store or when the store failed).</returns>
    public async ValueTask<int> RestoreAsync(CancellationToken cancellationToken = default)
    {
        if (_store is null)
        {
            return 0;
        }

        IReadOnlyList<CircuitBreakerSnapshot> snapshots;
        try
        {
            snapshots = await _store.LoadAllAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Storage trouble never breaks the application: log and start closed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.CircuitStateLoadFailed(_logger, _store.GetType().Name, ex);
            return 0;
        }

        foreach (var snapshot in snapshots)
        {
            Entry? entry;
            lock (_lock)
            {
                if (!_entries.TryGetValue(snapshot.Name, out entry))
                {
                    _pendingSnapshots[snapshot.Name] = snapshot;
                    continue;
                }
            }

            // Outside the lock: Restore raises StateChanged, and user handlers never run under our lock.
            ApplySnapshot(entry.Breaker, snapshot);
        }

        return snapshots.Count;
    }

    /// <summary>Waits until every snapshot save scheduled so far has finished (or failed and been logged).</summary>
    /// <returns>A task that completes when the saves have.</returns>
    public Task FlushAsync() => Task.WhenAll(_entries.Values.Select(e => e.PendingSave));

    /// <summary>Flushes pending snapshot saves.</summary>
    /// <returns>A task that completes when the saves have.</returns>
    public async ValueTask DisposeAsync()
    {
        _remoteChanges?.Dispose();
        await FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Applies a snapshot another process saved, when its state differs from ours (half-open is local: ignored).</summary>
    private void ApplyRemote(CircuitBreakerSnapshot snapshot)
    {
        if (snapshot.State == CircuitState.HalfOpen)
        {
            return;
        }

        if (_entries.TryGetValue(snapshot.Name, out var entry))
        {
            var local = entry.Breaker.State;
            if (local != snapshot.State && !(local == CircuitState.HalfOpen && snapshot.State == CircuitState.Open))
            {
                ApplySnapshot(entry.Breaker, snapshot);
            }
        }
        else
        {
            _pendingSnapshots[snapshot.Name] = snapshot;
        }
    }

    private void ApplySnapshot(CircuitBreaker breaker, CircuitBreakerSnapshot snapshot)
    {
        breaker.Restore(snapshot);
        Log.CircuitStateRestored(_logger, snapshot.Name, breaker.State, snapshot.SavedAt);
    }

    private sealed class Entry(CircuitBreakerRegistry owner, CircuitBreaker breaker)
    {
        private readonly Lock _lock = new();
        private Task _tail = Task.CompletedTask;

        public CircuitBreaker Breaker { get; } = breaker;

        public Task PendingSave
        {
            get
            {
                lock (_lock)
                {
                    return _tail;
                }
            }
        }

        public void OnStateChanged(object? sender, CircuitStateChangedEventArgs e)
        {
            if (e.Reason == CircuitTransitionReason.Restored)
            {
                return; // the state came from the store (at start, or another process's save): writing it back adds nothing
            }

            // Saves run one after another on the thread pool, each taking the newest snapshot when it starts, so the
            // store ends with the latest state and the caller whose call caused the transition never waits for I/O.
            lock (_lock)
            {
                _tail = _tail.ContinueWith(_ => SaveAsync(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
        }

        private async Task SaveAsync()
        {
            var store = owner._store!;
            try
            {
                await store.SaveAsync(Breaker.GetSnapshot(), CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Storage trouble never breaks a call: log; the next transition saves again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.CircuitStateSaveFailed(owner._logger, Breaker.Name, store.GetType().Name, ex);
            }
        }
    }
}
