using Microsoft.Extensions.Logging;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Events;

/// <summary>
/// The stream's sources, started when the first stream opens: circuit transitions as they happen, and every
/// <see cref="SteadfastWebOptions.EventInterval"/> a <c>metrics</c> event, new circuits picked up and the blacklist compared
/// with the last one sent. Ticks never overlap; with no stream open a tick does nothing.
/// </summary>
internal sealed class EventSampler : IDisposable
{
    private readonly EventHub _hub;
    private readonly SteadfastSources _sources;
    private readonly ILogger _logger;
    private readonly CircuitWatcher _circuits;
    private readonly AttemptSampler _attempts;
    private readonly BusWatcher _bus;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private int _ticking;
    private string? _lastBlacklist;
    private bool _disposed;

    public EventSampler(EventHub hub, SteadfastSources sources, ILoggerFactory? loggerFactory)
    {
        _hub = hub;
        _sources = sources;
        _logger = loggerFactory?.CreateLogger("Steadfast.AspNetCore.Endpoints") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _circuits = new CircuitWatcher(hub, sources.Time);
        _attempts = new AttemptSampler(hub, sources.Options.MaxAttemptEventsPerInterval, sources.Time);
        _bus = new BusWatcher(hub, sources);
        hub.FirstSubscriber += Start;
    }

    /// <summary>Listens to a circuit an endpoint just touched (it may be new).</summary>
    public void Watch(CircuitBreaker breaker) => _circuits.Watch(breaker);

    /// <summary>Listens to every circuit known now (a stream just opened).</summary>
    public void WatchAll() => _circuits.WatchAll(_sources.Circuits);

    /// <summary>Publishes the blacklist when it differs from the last one published (or <paramref name="force"/>).</summary>
    public async Task PublishBlacklistAsync(bool force, CancellationToken cancellationToken)
    {
        if (_sources.Analyzer is not { } analyzer || _hub.Subscribers == 0)
        {
            return;
        }

        var entries = (await analyzer.GetBlacklistAsync(cancellationToken).ConfigureAwait(false)).Select(BlacklistView.Of).ToArray();
        var signature = string.Join('\n', entries.Select(e => $"{e.Operation}\u001f{e.Strategy}\u001f{e.ExpiresAt:O}\u001f{e.Reason}"));
        if (!force && signature == Volatile.Read(ref _lastBlacklist))
        {
            return;
        }

        Volatile.Write(ref _lastBlacklist, signature);
        _hub.Publish(EventTypes.Blacklist, new BlacklistEvent(entries, _sources.Time.GetUtcNow()), SteadfastWebJsonContext.Default.BlacklistEvent);
    }

    /// <summary>Stops the timer and the listening, and ends every stream.</summary>
    public void Dispose()
    {
        ITimer? timer;
        lock (_lock)
        {
            _disposed = true;
            timer = _timer;
            _timer = null;
        }

        _hub.FirstSubscriber -= Start;
        _hub.Complete();
        _circuits.UnwatchAll();
        _attempts.Detach();
        _bus.Detach();
        timer?.Dispose();
    }

    private void Start()
    {
        lock (_lock)
        {
            if (_disposed || _timer is not null)
            {
                return;
            }

            var interval = _sources.Options.EventInterval;
            _timer = _sources.Time.CreateTimer(static state => ((EventSampler)state!).OnTimer(), this, interval, interval);
        }

        _attempts.Attach(_sources.Engine);
        _bus.Attach();
    }

    private void OnTimer()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return; // the previous tick is still reading the blacklist: skip rather than pile up
        }

        _ = TickAsync();
    }

    private async Task TickAsync()
    {
        try
        {
            var registry = _sources.Circuits;
            _circuits.WatchAll(registry);
            var circuits = _circuits.Sample(registry);
            var (attempts, failed) = _attempts.Take();
            if (_hub.Subscribers == 0)
            {
                return;
            }

            _hub.Publish(EventTypes.Metrics, new MetricsEvent(_sources.Time.GetUtcNow(), circuits, attempts, failed), SteadfastWebJsonContext.Default.MetricsEvent);
            await PublishBlacklistAsync(force: false, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A tick that fails (a store that is down) must not end the timer: log, try on the next tick.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.EventTickFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }
}
