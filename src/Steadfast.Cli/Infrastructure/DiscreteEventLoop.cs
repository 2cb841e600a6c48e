using System.Diagnostics;

namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// Runs asynchronous code in virtual time, deterministically: a discrete-event loop on one thread (the pump) that moves the
/// <see cref="VirtualClock"/> to the next due timer only when nothing else is left to run, and runs the timer's callback
/// itself. The same code with the same seeds takes the same steps, in the same order, at the same virtual instants, run
/// after run.
/// </summary>
/// <remarks>
/// <para>The pump has no synchronization context, and the code it runs awaits with <c>ConfigureAwait(false)</c> (the engine,
/// Polly, the demo's callers): a continuation then runs inline where the awaited task completes, which is a timer callback
/// the pump runs. (With a synchronization context installed, the runtime would not inline such continuations but queue them
/// to the thread pool.)</para>
/// <para>One thing still escapes: a <c>Task.Delay</c> cancelled through its token resumes its awaiter on the thread pool
/// (the runtime forces that, so <c>Cancel()</c> never runs a continuation inline). So before every step the pump waits until
/// none of the run's work is on the pool (<see cref="PoolQuiescence"/>): an escaped continuation runs to its next wait before
/// the pump moves on, as if it had run inline at the end of the step that cancelled it. Background work the run started (the
/// analyzer's store writes) is waited for too; that costs time, never determinism. Pool threads busy with the host's own
/// business (a test host keeps one blocked on its pipe) are not waited for.</para>
/// <para>Limit: continuations escaping in the same step run side by side. In the demo only a race's losers do that, and a
/// loser only unwinds: the engine books a loser's attempt (ledger, circuit, learning) when it decides the race, on the
/// pump, not when the loser resumes.</para>
/// </remarks>
internal sealed class DiscreteEventLoop
{
    /// <summary>How long the pump waits for work from outside (Ctrl+C) when nothing is scheduled before the horizon.</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How often a stalled pump looks again for work that arrived without being posted.</summary>
    private static readonly TimeSpan StallLook = TimeSpan.FromMilliseconds(10);

    private readonly VirtualClock _clock;
    private readonly DateTimeOffset _horizon;
    private readonly TimeSpan _stallTimeout;

    // A monitor rather than a Lock: the pump waits on it for work from outside (Monitor.Wait).
    private readonly object _gate = new();
    private readonly Queue<Action> _posted = new();

    private DiscreteEventLoop(VirtualClock clock, DateTimeOffset horizon, TimeSpan stallTimeout)
    {
        _clock = clock;
        _horizon = horizon;
        _stallTimeout = stallTimeout;
    }

    /// <summary>
    /// Runs <paramref name="entry"/> and everything it starts in virtual time on a dedicated thread, until its task completes.
    /// </summary>
    /// <param name="clock">The virtual clock every participant uses.</param>
    /// <param name="horizon">No timer beyond it is fired: work still pending then is a bug (or waits for Ctrl+C), not a reason to jump ahead.</param>
    /// <param name="entry">Starts the work; called on the pump with the loop, to <see cref="Post"/> work from other threads.</param>
    /// <param name="stallTimeout">How long to wait for work from outside when nothing is due before the horizon; then the run fails as stalled.</param>
    /// <returns>The entry's result, once its task completed.</returns>
    public static Task<T> RunAsync<T>(VirtualClock clock, DateTimeOffset horizon, Func<DiscreteEventLoop, Task<T>> entry, TimeSpan? stallTimeout = null)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new DiscreteEventLoop(clock, horizon, stallTimeout ?? DefaultStallTimeout);

        // A thread of its own, not a pool thread: the pump waits for the run's work on the pool to end, which it could never see
        // if the pump were one of the pool's busy workers.
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(loop.Run(entry));
            }
#pragma warning disable CA1031 // Everything the run throws goes to the awaiting caller.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "steadfast virtual time",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> on the pump between two steps; for events from outside, such as Ctrl+C.</summary>
    public void Post(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            _posted.Enqueue(work);
            Monitor.Pulse(_gate);
        }
    }

    private T Run<T>(Func<DiscreteEventLoop, Task<T>> entry)
    {
        var pool = new PoolQuiescence();
        pool.EnterOnPump();
        var task = entry(this);
        long? stalledSince = null;
        while (true)
        {
            pool.WaitUntilQuiet();
            if (TryTakePosted(out var work))
            {
                stalledSince = null;
                work();
                continue;
            }

            if (task.IsCompleted)
            {
                return task.GetAwaiter().GetResult();
            }

            if (_clock.NextDue is { } due && due <= _horizon)
            {
                stalledSince = null;
                _clock.TryFireNext();
                continue;
            }

            // Nothing runs and nothing is due: only work from outside (a Ctrl+C posted here) can move the run on. Look again
            // every few milliseconds rather than only when work is posted: should the run's own work still be on the pool, unseen,
            // the timer it arms is found on the next look.
            stalledSince ??= Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(stalledSince.Value) >= _stallTimeout)
            {
                throw new InvalidOperationException(
                    $"Virtual time stalled at {_clock.GetUtcNow():O}: the run is not finished, yet nothing is scheduled before {_horizon:O}.");
            }

            lock (_gate)
            {
                if (_posted.Count == 0)
                {
                    Monitor.Wait(_gate, StallLook);
                }
            }
        }
    }

    private bool TryTakePosted(out Action work)
    {
        lock (_gate)
        {
            return _posted.TryDequeue(out work!);
        }
    }
}
