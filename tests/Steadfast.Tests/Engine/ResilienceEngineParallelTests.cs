using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Engine;

public class ResilienceEngineParallelTests
{
    [Fact]
    public async Task Parallel_FirstSuccessWins_OthersCancelledAtOnce()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => o.MaxAttempts = 1));
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.8);
        var c = new Gated("c", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy, c.Strategy], "race", parallel: true).AsTask();
        Assert.Equal([1, 1, 1], new[] { a.Started, b.Started, c.Started });
        b.Attempt(0).SetResult("from b");
        var r = await pending;

        Assert.Equal("b", r.StrategyUsed);
        Assert.Equal("from b", r.Value);
        Assert.True(a.Tokens[0].IsCancellationRequested);
        Assert.True(c.Tokens[0].IsCancellationRequested);
        Assert.False(b.Tokens[0].IsCancellationRequested);
        Assert.Equal(2, r.Attempts.Count(x => x.Outcome == AttemptOutcome.Cancelled && x.SkipReason == "lost the race"));
        Assert.Single(r.Attempts, x => x.Outcome == AttemptOutcome.Succeeded);
    }

    [Fact]
    public async Task Parallel_RunnerFailsForGood_NextRankedStartsSoWidthIsKept()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.MaxAttempts = 1; o.MaxParallelStrategies = 2; }));
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.8);
        var c = new Gated("c", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy, c.Strategy], "race", parallel: true).AsTask();
        Assert.Equal([1, 1, 0], new[] { a.Started, b.Started, c.Started });

        a.Attempt(0).SetException(EngineTestKit.Transient());
        await c.WhenStarted(1);
        Assert.Equal(1, b.Started);
        c.Attempt(0).SetResult("from c");
        var r = await pending;

        Assert.Equal("c", r.StrategyUsed);
        Assert.True(b.Tokens[0].IsCancellationRequested);
    }

    [Fact]
    public async Task Parallel_WidthOne_BehavesSequentially()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.MaxParallelStrategies = 1));
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent(), 1.0, log), Fails("b", Permanent(), 0.5, log)], "op", parallel: true);

        Assert.Equal(["a", "b"], log);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task Parallel_AllFail_AllStrategiesFailedWithEveryAttempt()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.MaxAttempts = 2));

        var r = await engine.ExecuteWithAlternativesAsync(
            [Fails("a", Transient(), 1.0), Fails("b", Transient(), 0.9), Fails("c", Transient(), 0.8), Fails("d", Transient(), 0.7)], "op", parallel: true);

        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
        Assert.Equal(8, r.FailedAttempts);
        Assert.Equal(["a", "b", "c", "d"], r.Attempts.Select(x => x.Strategy).Distinct().Order());
    }

    [Fact]
    public async Task Parallel_SynchronousWinner_DoesNotStartTheOthers()
    {
        var engine = NewEngine(NewTime());
        var b = new Gated("b", 0.5);

        var r = await engine.ExecuteWithAlternativesAsync([Ok("a", 1.0), b.Strategy], "op", parallel: true);

        Assert.Equal("a", r.StrategyUsed);
        Assert.Equal(0, b.Started);
    }

    [Fact]
    public async Task Parallel_LosersThrowAfterCancellation_NothingReachesUnobservedTaskException()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
            {
                unobserved.AddRange(e.Exception.InnerExceptions);
            }
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        try
        {
            var engine = NewEngine(NewTime(), Fast(o => o.MaxAttempts = 1));
            var a = new Gated("a", 1.0) { ThrowOnCancel = new LoserException() };
            var b = new Gated("b", 0.8);
            var c = new Gated("c", 0.5) { ThrowOnCancel = new LoserException() };

            var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy, c.Strategy], "race", parallel: true).AsTask();
            b.Attempt(0).SetResult("b");
            var r = await pending;
            await Task.WhenAll(a.Finished.Task, c.Finished.Task);
            for (var i = 0; i < 5; i++)
            {
                await Task.Yield();
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            Assert.Equal("b", r.StrategyUsed);
            lock (unobserved)
            {
                Assert.DoesNotContain(unobserved, e => e is LoserException);
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }
    }

    [Fact]
    public async Task Parallel_CallerCancels_ThrowsAndCancelsEveryRunner()
    {
        var engine = NewEngine(NewTime());
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.8);
        using var cts = new CancellationTokenSource();

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "race", parallel: true, cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(a.Tokens[0].IsCancellationRequested);
        Assert.True(b.Tokens[0].IsCancellationRequested);
    }

    [Fact]
    public async Task Parallel_DeadlinePasses_CancelsRunnersAndNamesTimeBudget()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.MaxTotalTime = TimeSpan.FromSeconds(10); o.StrategyTimeout = TimeSpan.FromMinutes(1); }));
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.8);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "race", parallel: true).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));
        var r = await pending;

        Assert.Equal(StopReason.TimeBudget, r.StopReason);
        Assert.True(a.Tokens[0].IsCancellationRequested && b.Tokens[0].IsCancellationRequested);
    }

    [Fact]
    public async Task Parallel_AttemptBudget_SharedAcrossRunners()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 5; o.MaxTotalAttempts = 4; }));

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0), Fails("b", Transient(), 0.9)], "op", parallel: true);

        Assert.Equal(4, r.AttemptCount);
        Assert.Equal(StopReason.AttemptBudget, r.StopReason);
    }

    private sealed class LoserException : Exception
    {
        public LoserException()
            : base("a loser failed after being cancelled")
        {
        }
    }
}
