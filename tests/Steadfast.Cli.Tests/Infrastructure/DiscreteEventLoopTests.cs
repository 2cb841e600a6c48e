using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Infrastructure;

public sealed class DiscreteEventLoopTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_ConcurrentFlowsWithSeededDelays_TakeTheSameStepsEveryRun()
    {
        var first = await TraceAsync(seed: 1);
        var second = await TraceAsync(seed: 1);
        var other = await TraceAsync(seed: 2);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(8 * 50, first.Count);
    }

    [Fact]
    public async Task RunAsync_DelayCancelledThroughItsToken_ClockWaitsForTheContinuationOnThePool()
    {
        // A cancelled Task.Delay resumes its awaiter on the thread pool. A timer ticking every tick after the cancellation would let the
        // clock run far ahead if the pump did not wait for that continuation before its next step.
        var clock = new VirtualClock(Start);

        var resumedAt = await DiscreteEventLoop.RunAsync(clock, Start.AddMinutes(1), async _ =>
        {
            using var ticker = clock.CreateTimer(static _ => { }, null, TimeSpan.FromMilliseconds(10) + TimeSpan.FromTicks(1), TimeSpan.FromTicks(1));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(10), clock);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), clock, cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return clock.GetUtcNow();
        });

        Assert.Equal(Start.AddMilliseconds(10), resumedAt);
    }

    [Fact]
    public async Task RunAsync_PoolThreadBlockedOutsideTheRun_RunsAndStillWaitsForItsOwnContinuations()
    {
        // A host may keep a pool thread blocked for good (the test host does): the pump must neither wait for it nor, because of
        // it, stop waiting for the run's own continuations on the pool.
        using var release = new ManualResetEventSlim();
        using var blocked = new ManualResetEventSlim();
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            blocked.Set();
            release.Wait();
        }, null);
        blocked.Wait();
        try
        {
            var first = await TraceCancelledDelaysAsync();
            var second = await TraceCancelledDelaysAsync();

            Assert.Equal(first, second);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => Start.AddMilliseconds(10 * i)), first);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task RunAsync_CodeWaitingLessThanAMillisecond_TimePassesAsItSpins()
    {
        // Task.Delay rounds a wait down to whole milliseconds: a wait of 0.3 ms completes at once, so code waiting for an instant
        // 0.3 ms away reads the clock again and again. Without time passing as it spins, this would never end.
        var clock = new VirtualClock(Start);
        var target = clock.GetTimestamp() + (TimeSpan.TicksPerMillisecond * 3 / 10);

        var reads = await DiscreteEventLoop.RunAsync(clock, Start.AddMinutes(1), async _ =>
        {
            var count = 0;
            while (clock.GetTimestamp() < target)
            {
                count++;
                await Task.Delay(clock.GetElapsedTime(clock.GetTimestamp(), target), clock).ConfigureAwait(false);
            }

            return count;
        });

        Assert.True(reads > 0);
        Assert.InRange(clock.GetUtcNow(), Start.AddTicks(TimeSpan.TicksPerMillisecond * 3 / 10), Start.AddMilliseconds(1));
    }

    [Fact]
    public async Task RunAsync_WorkPostedFromAnotherThread_RunsOnThePumpBetweenSteps()
    {
        var clock = new VirtualClock(Start);
        var seen = new TaskCompletionSource<int>();

        var pump = await DiscreteEventLoop.RunAsync(clock, Start.AddMinutes(1), async loop =>
        {
            var thread = Environment.CurrentManagedThreadId;
            _ = Task.Run(() => loop.Post(() => seen.SetResult(Environment.CurrentManagedThreadId)));
            await seen.Task.ConfigureAwait(false);
            return thread;
        });

        Assert.Equal(pump, await seen.Task);
    }

    [Fact]
    public async Task RunAsync_NothingDueBeforeTheHorizon_FailsAsStalledInsteadOfJumpingAhead()
    {
        var clock = new VirtualClock(Start);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DiscreteEventLoop.RunAsync(clock, Start.AddSeconds(10), async _ =>
        {
            await Task.Delay(TimeSpan.FromHours(1), clock).ConfigureAwait(false);
            return 0;
        }, stallTimeout: TimeSpan.Zero));

        Assert.Contains("stalled", error.Message, StringComparison.Ordinal);
        Assert.Equal(Start, clock.GetUtcNow());
    }

    /// <summary>Twenty cancellations of long delays 10 ms apart; returns when each cancelled delay's continuation (on the pool) ran.</summary>
    private static Task<List<DateTimeOffset>> TraceCancelledDelaysAsync()
    {
        var clock = new VirtualClock(Start);
        return DiscreteEventLoop.RunAsync(clock, Start.AddHours(1), async _ =>
        {
            var resumed = new List<DateTimeOffset>();
            for (var i = 0; i < 20; i++)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(10), clock);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, cancel.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    resumed.Add(clock.GetUtcNow());
                }
            }

            return resumed;
        });
    }

    /// <summary>Eight flows, each waiting 50 seeded delays; returns who woke when, in order.</summary>
    private static Task<List<(int Flow, long Ticks)>> TraceAsync(int seed)
    {
        var clock = new VirtualClock(Start);
        return DiscreteEventLoop.RunAsync(clock, Start.AddHours(1), async _ =>
        {
            var trace = new List<(int Flow, long Ticks)>();
            var random = new Random(seed);
            async Task FlowAsync(int flow)
            {
                for (var i = 0; i < 50; i++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1, 20)), clock).ConfigureAwait(false);
                    trace.Add((flow, clock.GetTimestamp()));
                }
            }

            await Task.WhenAll(Enumerable.Range(0, 8).Select(FlowAsync)).ConfigureAwait(false);
            return trace;
        });
    }
}
