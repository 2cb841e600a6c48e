using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// The background writer: a channel of <see cref="WriteItem"/>s and one task that writes them to the store in order,
/// failures in transactions of up to <see cref="FailureAnalyzerOptions.WriteBatchSize"/>, then the pending statistics
/// increments. Bounded by <see cref="FailureAnalyzerOptions.WriteBufferCapacity"/> failures (beyond it they are dropped,
/// counted and logged once); while the store is unhealthy it keeps the items and tries again at the retry time. It
/// loads the previous runs' state first (<see cref="LearningLoader"/>), and deletes old failures at start and every
/// <see cref="FailureAnalyzerOptions.CleanupInterval"/>. Lock-free: the channel and interlocked counters are shared,
/// <c>_pending</c> belongs to the writer task alone.
/// </summary>
internal sealed class WriteBehind : IAsyncDisposable
{
    private readonly Channel<WriteItem> _channel = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<WriteItem> _pending = [];
    private readonly IFailureStore _store;
    private readonly IStrategyStatisticsStore? _statisticsStore;
    private readonly FailureAnalyzerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _storeName;
    private readonly PersistenceHealth _health;
    private readonly LearningLoader _loader;
    private readonly LearningState _state;
    private readonly ITimer _cleanupTimer;
    private readonly Task _writer;
    private int _pendingFailures;
    private long _dropped;
    private int _droppingLogged;

    /// <summary>Starts the writer task; it loads before anything else. The constructor does no I/O: stores do theirs asynchronously.</summary>
    public WriteBehind(IFailureStore store, FailureAnalyzerOptions options, TimeProvider timeProvider, ILogger logger, string storeName, PersistenceHealth health, LearningLoader loader, LearningState state)
    {
        _store = store;
        _statisticsStore = store as IStrategyStatisticsStore;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _storeName = storeName;
        _health = health;
        _loader = loader;
        _state = state;
        // Called, not Task.Run: a store that answers at once (in memory) is loaded before the constructor returns, so a new
        // analyzer or engine has nothing to wait for; a real store answers asynchronously (SQLite reads run off this thread).
        _writer = RunAsync();
        Enqueue(new WriteItem(WriteKind.Cleanup));
        _cleanupTimer = timeProvider.CreateTimer(static w => ((WriteBehind)w!).Enqueue(new WriteItem(WriteKind.Cleanup)), this, options.CleanupInterval, options.CleanupInterval);
    }

    /// <summary>Failures kept in memory but never persisted because the write buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void EnqueueFailure(Failure failure)
    {
        if (Interlocked.Increment(ref _pendingFailures) > _options.WriteBufferCapacity)
        {
            Interlocked.Decrement(ref _pendingFailures);
            Drop(1);
            return;
        }

        if (!_channel.Writer.TryWrite(new WriteItem(WriteKind.Failure) { Failure = failure }))
        {
            // Disposed: the failure stays in memory only.
            Interlocked.Decrement(ref _pendingFailures);
        }
    }

    /// <summary>Queues a control item; after disposal it is ignored (the change stays in memory only).</summary>
    public void Enqueue(WriteItem item) => _channel.Writer.TryWrite(item);

    /// <summary>Waits until everything queued before the call has been written, or the attempt failed.</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(new WriteItem(WriteKind.Flush) { Done = done }))
        {
            return Task.CompletedTask;
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Flushes (so the start-up load and every pending write come first), then reads from the store while it is
    /// healthy; a store error marks it unhealthy and the caller answers from memory instead.
    /// </summary>
    public async Task<(bool Ok, T? Value)> ReadAfterFlushAsync<T>(Func<IFailureStore, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (!_health.IsHealthy)
        {
            return default;
        }

        try
        {
            return (true, await read(_store, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _health.MarkUnhealthy(ex);
            return default;
        }
    }

    /// <summary>Stops the cleanup timer, then lets the writer drain with one last attempt. Call once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cleanupTimer.DisposeAsync().ConfigureAwait(false);
        _channel.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private void Drop(int count)
    {
        var total = Interlocked.Add(ref _dropped, count);
        LearningMetrics.FailuresDropped.Add(count);
        if (Interlocked.Exchange(ref _droppingLogged, 1) == 0)
        {
            Log.FailuresDropped(_logger, _storeName, _options.WriteBufferCapacity, total);
        }
    }

    private async Task RunAsync()
    {
        await TryLoadAsync().ConfigureAwait(false);
        var reader = _channel.Reader;
        var flushes = new List<TaskCompletionSource>();
        while (true)
        {
            bool more;
            var waitForRetry = !_health.IsHealthy && (_pending.Count > 0 || _loader.NeedsLoad);
            using (var wake = waitForRetry ? new CancellationTokenSource(Max(TimeSpan.Zero, _health.RetryAt - _timeProvider.GetUtcNow()), _timeProvider) : null)
            {
                try
                {
                    more = await reader.WaitToReadAsync(wake?.Token ?? CancellationToken.None).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    more = true; // Time to try the store again.
                }
            }

            if (!more)
            {
                break;
            }

            while (reader.TryRead(out var item))
            {
                if (item.Kind == WriteKind.Flush)
                {
                    flushes.Add(item.Done!);
                    continue;
                }

                _pending.Add(item);
                if (_pending.Count >= _options.WriteBatchSize)
                {
                    await WritePendingAsync(final: false).ConfigureAwait(false);
                }
            }

            await WritePendingAsync(final: false).ConfigureAwait(false);
            foreach (var done in flushes)
            {
                done.TrySetResult();
            }

            flushes.Clear();
        }

        // Shutdown: one last attempt, whatever the retry schedule says.
        await WritePendingAsync(final: true).ConfigureAwait(false);
        var lost = _pending.Count(i => i.Kind == WriteKind.Failure);
        if (lost > 0)
        {
            Log.FailuresLostAtShutdown(_logger, lost, _storeName);
        }
    }

    /// <summary>
    /// Loads through the loader, then corrects the store: removals of lifted entries go first, before anything recorded
    /// later (a strategy blacklisted again after its success must stay so); replacements go through the channel, after
    /// the entries this process already queued, which they replace.
    /// </summary>
    private async Task<bool> TryLoadAsync()
    {
        if (await _loader.TryLoadAsync().ConfigureAwait(false) is not { } corrections)
        {
            return false;
        }

        _pending.InsertRange(0, corrections.Lifted.Select(e => new WriteItem(WriteKind.BlacklistRemove) { Strategy = e.StrategyName, Operation = e.Operation }));
        foreach (var e in corrections.Rewritten)
        {
            Enqueue(new WriteItem(WriteKind.BlacklistUpsert) { Entry = e });
        }

        return true;
    }

    /// <summary>
    /// Writes the pending items in order: runs of failures in transactions of up to WriteBatchSize, control items
    /// (blacklist, cleanup, clear) one by one, then the statistics increments. Stops at the first store error and
    /// keeps the rest for the next attempt, so a Clear never wipes failures recorded after it.
    /// </summary>
    private async Task WritePendingAsync(bool final)
    {
        if (!final && !_health.MayTry(_timeProvider.GetUtcNow()))
        {
            return;
        }

        if (_loader.NeedsLoad && !await TryLoadAsync().ConfigureAwait(false))
        {
            return;
        }

        var done = 0;
        var batch = new List<Failure>(Math.Min(_options.WriteBatchSize, _pending.Count));
        try
        {
            while (done < _pending.Count)
            {
                var item = _pending[done];
                if (item.Kind == WriteKind.Failure)
                {
                    batch.Clear();
                    for (var i = done; i < _pending.Count && _pending[i].Kind == WriteKind.Failure && batch.Count < _options.WriteBatchSize; i++)
                    {
                        batch.Add(_pending[i].Failure!);
                    }

                    await _store.SaveFailuresAsync(batch).ConfigureAwait(false);
                    done += batch.Count;
                    Interlocked.Add(ref _pendingFailures, -batch.Count);
                }
                else
                {
                    await ApplyAsync(item).ConfigureAwait(false);
                    done++;
                }
            }

            await WriteStatisticsAsync().ConfigureAwait(false);
            if (_health.MarkHealthy(done))
            {
                Interlocked.Exchange(ref _droppingLogged, 0);
            }
        }
#pragma warning disable CA1031 // whatever the store throws, recording goes on in memory; the items wait for the next attempt
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _health.MarkUnhealthy(ex);
        }
        finally
        {
            _pending.RemoveRange(0, done);
        }
    }

    private async Task WriteStatisticsAsync()
    {
        if (_statisticsStore is null || _state.TakeStatisticsIncrements() is not { } increments)
        {
            return;
        }

        try
        {
            await _statisticsStore.MergeStrategyStatisticsAsync(increments).ConfigureAwait(false);
        }
        catch
        {
            _state.PutBackStatisticsIncrements(increments);
            throw;
        }
    }

    private async Task ApplyAsync(WriteItem item)
    {
        switch (item.Kind)
        {
            case WriteKind.BlacklistUpsert:
                await _store.AddToBlacklistAsync(item.Entry!).ConfigureAwait(false);
                break;
            case WriteKind.BlacklistRemove:
                await _store.RemoveFromBlacklistAsync(item.Strategy!, item.Operation!).ConfigureAwait(false);
                break;
            case WriteKind.Clear:
                await _store.ClearAllAsync().ConfigureAwait(false);
                break;
            case WriteKind.Cleanup:
                var days = (int)Math.Ceiling(_options.Retention.TotalDays);
                var deleted = await _store.CleanupOldFailuresAsync(days).ConfigureAwait(false);
                if (deleted > 0)
                {
                    Log.RetentionCleanup(_logger, deleted, days, _storeName);
                }

                break;
            case WriteKind.Statistics:
                break;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
