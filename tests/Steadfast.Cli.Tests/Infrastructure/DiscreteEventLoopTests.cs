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
