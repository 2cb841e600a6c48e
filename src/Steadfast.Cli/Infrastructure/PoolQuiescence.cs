using System.Diagnostics;

namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// Tells the <see cref="DiscreteEventLoop"/>'s pump when none of the run's work is on the thread pool: nothing queued, no
/// pool thread running the run's code, and no pool worker busy beyond those that are busy with something else for good.
/// </summary>
/// <remarks>
/// <para>Why three signals. The run's code that escaped to the pool (a continuation of a cancelled <c>Task.Delay</c>) carries
/// the run's execution context, and an <see cref="AsyncLocal{T}"/> with a change handler sees every pool thread enter and
/// leave that context: that counts the run's code while it runs. Between a worker taking the item off the queue and entering
/// the context there is a moment neither the queue nor that count shows; the pool's count of busy workers does (a worker
/// counts as busy from being woken until it finds the queues empty).</para>
/// <para>The busy count is not zero in every process: a host may keep a pool thread blocked for good (the test host reads
/// its pipe on one). So the count is compared with a floor: the fewest busy workers seen while none of the run's work was
/// queued or running. A worker busy outside the run for longer than <see cref="FloorGrace"/> (real time) raises the floor,
/// so a host thread that blocks mid-run costs that grace once, never a hang.</para>
/// </remarks>
internal sealed class PoolQuiescence
{
    /// <summary>How long the pump waits for a pool worker that is busy outside the run before it counts it in the floor.</summary>
    public static readonly TimeSpan FloorGrace = TimeSpan.FromMilliseconds(250);

    private readonly AsyncLocal<object?> _marker;
    private int _pumpThread;
    private int _running;
    private int _floor = int.MaxValue;

    public PoolQuiescence()
    {
        _marker = new AsyncLocal<object?>(OnContextChanged);
    }

    /// <summary>Pool threads running the run's code now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Marks the calling thread (the pump) and everything that flows from it as the run; sets the first floor.</summary>
    public void EnterOnPump()
    {
        _pumpThread = Environment.CurrentManagedThreadId;
        _marker.Value = this;

        // The first floor: the fewest busy workers over a moment (a worker finishing something else must not count for good).
        var spinner = default(SpinWait);
        for (var i = 0; i < 64; i++)
        {
            _floor = Math.Min(_floor, BusyWorkers());
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Waits (spinning, never sleeping) until none of the run's work is queued or running on the pool.</summary>
    public void WaitUntilQuiet()
    {
        var spinner = default(SpinWait);
        long? busySince = null;
        while (true)
        {
            if (ThreadPool.PendingWorkItemCount == 0 && Running == 0)
            {
                var busy = BusyWorkers();
                if (busy <= _floor)
                {
                    _floor = busy;
                    return;
                }

                // Busy workers beyond the floor and nothing of the run's queued or running: a worker about to run the run's code
                // (for an instant), or a worker busy with something else (for as long as it takes). Give the first time to show.
                busySince ??= Stopwatch.GetTimestamp();
                if (Stopwatch.GetElapsedTime(busySince.Value) > FloorGrace)
                {
                    _floor = busy;
                    return;
                }
            }
            else
            {
                busySince = null;
            }

            // Yield, never sleep a millisecond: the work waited for (an escaped continuation, a SQLite commit) takes microseconds.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private static int BusyWorkers()
    {
        ThreadPool.GetMaxThreads(out var max, out _);
        ThreadPool.GetAvailableThreads(out var available, out _);
        return max - available;
    }

    private void OnContextChanged(AsyncLocalValueChangedArgs<object?> change)
    {
        // Only a thread switching contexts (a pool thread taking up or putting down the run's work) counts; the pump is the run.
        if (!change.ThreadContextChanged || Environment.CurrentManagedThreadId == _pumpThread)
        {
            return;
        }

        if (change.PreviousValue is null && change.CurrentValue is not null)
        {
            Interlocked.Increment(ref _running);
        }
        else if (change.PreviousValue is not null && change.CurrentValue is null)
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
