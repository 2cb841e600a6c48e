using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Infrastructure;

public sealed class VirtualClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryFireNext_TimersArmedOutOfOrder_FireInDueOrderAndMoveTheClock()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.GetUtcNow())), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.GetUtcNow())), null, TimeSpan.FromMilliseconds(5), Timeout.InfiniteTimeSpan);

        while (clock.TryFireNext())
        {
        }

        Assert.Equal([("early", Start.AddMilliseconds(5)), ("late", Start.AddSeconds(2))], fired);
        Assert.Equal(Start.AddSeconds(2), clock.GetUtcNow());
    }

    [Fact]
    public void TryFireNext_TimersDueAtTheSameInstant_FireInTheOrderTheyWereArmed()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<int>();
        var timers = Enumerable.Range(0, 5).Select(i => clock.CreateTimer(_ => fired.Add(i), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan)).ToList();
        foreach (var i in new[] { 3, 1, 4, 0, 2 })
        {
            timers[i].Change(TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);
        }

        while (clock.TryFireNext())
        {
        }

        Assert.Equal([3, 1, 4, 0, 2], fired);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public void TryFireNext_PeriodicTimer_FiresEveryPeriodUntilDisposed()
    {
        var clock = new VirtualClock(Start);
        var fired = new List<DateTimeOffset>();
        var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.TryFireNext();
        clock.TryFireNext();
        clock.TryFireNext();
        timer.Dispose();

        Assert.Equal([Start.AddSeconds(1), Start.AddSeconds(2), Start.AddSeconds(3)], fired);
        Assert.False(clock.TryFireNext());
        Assert.Null(clock.NextDue);
    }

    [Fact]
    public void Change_RearmedOrStoppedTimer_FiresOnlyAtItsLatestDueTime()
    {
        var clock = new VirtualClock(Start);
        var fired = 0;
        using var moved = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var stopped = clock.CreateTimer(_ => fired += 100, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        moved.Change(TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        Assert.Equal(Start.AddSeconds(3), clock.NextDue);
        Assert.True(clock.TryFireNext());
        Assert.Equal(1, fired);
        Assert.False(clock.TryFireNext());
    }

    [Fact]
    public void GetTimestamp_AtTheStart_IsNotZero()
    {
        // Code may take a timestamp of 0 for "none" (the engine's race did, booking no attempt for its losers at the first instant).
        var clock = new VirtualClock(Start);

        Assert.NotEqual(0, clock.GetTimestamp());
        Assert.Equal(Start, clock.GetUtcNow());
    }

    [Fact]
    public void GetTimestamp_ReadsBetweenTimers_TimeStandsStillUntilCodeSpins()
    {
        var clock = new VirtualClock(Start);

        for (var i = 0; i < VirtualClock.SpinReads; i++)
        {
            Assert.Equal(Start, clock.GetUtcNow()); // ordinary code reads the clock often between two timers: it does not move
        }

        // Past that, the code is spinning (a sub-millisecond Task.Delay completes at once): time passes as it would for a spinning thread.
        Assert.Equal(Start + VirtualClock.SpinStep, clock.GetUtcNow());
        Assert.Equal(Start + (2 * VirtualClock.SpinStep), clock.GetUtcNow());
    }

    [Fact]
    public void GetTimestamp_TimerArmedOrFired_SpinCountStartsAgain()
    {
        var clock = new VirtualClock(Start);
        for (var i = 0; i < VirtualClock.SpinReads; i++)
        {
            clock.GetTimestamp();
        }

        using var timer = clock.CreateTimer(static _ => { }, null, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        for (var i = 0; i < VirtualClock.SpinReads; i++)
        {
            Assert.Equal(Start, clock.GetUtcNow());
        }

        Assert.True(clock.TryFireNext());
        for (var i = 0; i < VirtualClock.SpinReads; i++)
        {
            Assert.Equal(Start.AddMilliseconds(1), clock.GetUtcNow());
        }
    }
}
