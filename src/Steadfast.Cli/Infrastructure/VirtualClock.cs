namespace Steadfast.Cli.Infrastructure;

/// <summary>
/// A clock that moves only when told to: <see cref="TryFireNext"/> jumps to the earliest due timer and runs its callback
/// on the calling thread. With <see cref="DiscreteEventLoop"/> it is the virtual time of the demo: every timer of the
/// engine, of Polly's strategies and of the simulated providers is one of these, so a run takes the same steps in the
/// same order every time.
/// </summary>
/// <remarks>
/// <para>Unlike <c>FakeTimeProvider</c>, it tells when the next timer is due, which a discrete-event loop needs to jump straight
/// there. Timers due at the same instant fire in the order they were armed (a sequence number breaks ties), so the order
/// never depends on a hash or a thread. Thread-safe: a timer may be armed from any thread; callbacks run outside the lock.</para>
/// <para>Time also passes while code spins. <c>Task.Delay</c> rounds a wait down to whole milliseconds, so code that waits
/// for an instant less than a millisecond away gets a completed task and reads the clock again, and again: on a real clock
/// for at most a millisecond, on a clock that only timers move, for ever. So after <see cref="SpinReads"/> reads with no
/// timer armed or fired in between, every further read moves the clock on by <see cref="SpinStep"/>, as a spinning thread
/// would see real time pass. Ordinary code reads the clock a few dozen times between two timers; a run that does not spin
/// never sees this, and one that does still repeats exactly (the reads are counted, not timed).</para>
/// </remarks>
internal sealed class VirtualClock : TimeProvider
{
    /// <summary>Reads of the clock, with no timer armed or fired in between, after which time is taken to pass as code spins.</summary>
    public const int SpinReads = 1000;

    /// <summary>How far each read beyond <see cref="SpinReads"/> moves the clock: 10 µs.</summary>
    public static readonly TimeSpan SpinStep = TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 100);

    private readonly Lock _lock = new();
    private readonly PriorityQueue<TimerEntry, (long Due, long Sequence)> _queue = new();
    // The timestamp is the virtual instant's UTC ticks: never 0 (code may use 0 as "no timestamp"), and it reads as a date.
    private long _now;
    private long _sequence;
    private int _readsWithoutTimers;

    /// <summary>Starts the clock at <paramref name="start"/> (UTC).</summary>
    public VirtualClock(DateTimeOffset start)
    {
        _now = start.UtcTicks;
    }

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc/>
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            if (++_readsWithoutTimers > SpinReads)
            {
                _now += SpinStep.Ticks;
            }

            return _now;
        }
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => new(GetTimestamp(), TimeSpan.Zero);

    /// <summary>When the earliest armed timer is due; <see langword="null"/> when none is armed.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_lock)
            {
                return Peek_NeedsLock() is { } timer ? new DateTimeOffset(timer.Due, TimeSpan.Zero) : null;
            }
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, new TimerEntry(callback, state));
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock to the earliest due timer (never backwards) and runs its callback on this thread; a periodic timer is
    /// armed again first. Returns <see langword="false"/> when no timer is armed.
    /// </summary>
    public bool TryFireNext()
    {
        TimerEntry timer;
        lock (_lock)
        {
            if (Peek_NeedsLock() is not { } next)
            {
                return false;
            }

            timer = next;
            _queue.Dequeue();
            _readsWithoutTimers = 0;
            _now = Math.Max(_now, timer.Due);
            timer.Armed = false;
            if (timer.Period > 0)
            {
                Arm_NeedsLock(timer, _now + timer.Period, timer.Period);
            }
        }

        timer.Callback(timer.State);
        return true;
    }

    private bool Change(TimerEntry timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            if (timer.Disposed)
            {
                return false;
            }

            // A re-armed timer leaves a stale entry in the queue; Peek skips entries whose timer moved on (Armed with another sequence).
            timer.Armed = false;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                var periodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
                Arm_NeedsLock(timer, _now + Math.Max(0, dueTime.Ticks), periodTicks);
            }

            return true;
        }
    }

    private void Dispose(TimerEntry timer)
    {
        lock (_lock)
        {
            timer.Disposed = true;
            timer.Armed = false;
        }
    }

    private void Arm_NeedsLock(TimerEntry timer, long due, long period)
    {
        _readsWithoutTimers = 0;
        timer.Due = due;
        timer.Period = period;
        timer.Sequence = ++_sequence;
        timer.Armed = true;
        _queue.Enqueue(timer, (due, timer.Sequence));
    }

    private TimerEntry? Peek_NeedsLock()
    {
        while (_queue.TryPeek(out var timer, out var key))
        {
            if (timer.Armed && timer.Sequence == key.Sequence)
            {
                return timer;
            }

            _queue.Dequeue(); // stale: disposed, stopped or re-armed since
        }

        return null;
    }

    /// <summary>A timer's schedule; the queue holds these (the <see cref="ITimer"/> the caller owns only points at one).</summary>
    private sealed class TimerEntry(TimerCallback callback, object? state)
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        // Guarded by the clock's lock.
        public long Due { get; set; }

        public long Period { get; set; }

        public long Sequence { get; set; }

        public bool Armed { get; set; }

        public bool Disposed { get; set; }
    }

    private sealed class VirtualTimer(VirtualClock clock, TimerEntry entry) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => clock.Change(entry, dueTime, period);

        public void Dispose() => clock.Dispose(entry);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
