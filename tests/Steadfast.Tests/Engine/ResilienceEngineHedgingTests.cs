using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Engine;

/// <summary>
/// Hedged mode, race bookkeeping and the retry budget (issue 10), on a fake clock: a strategy that has not started by a
/// point in virtual time was not started, whatever the machine's speed.
/// </summary>
public sealed class ResilienceEngineHedgingTests
{
    private static ResilienceOptions Hedge(TimeSpan? delay, Action<ResilienceOptions>? tweak = null) => Fast(o =>
    {
        o.MaxAttempts = 1;
        o.HedgeDelay = delay;
        o.StrategyTimeout = TimeSpan.FromSeconds(1);
        tweak?.Invoke(o);
    });

    [Fact]
    public async Task Hedged_NoAnswerWithinTheDelay_StartsTheNextOnlyThen()
    {
        var time = NewTime();
        var engine = NewEngine(time, Hedge(TimeSpan.FromMilliseconds(100)));
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "op", ExecutionMode.Hedged).AsTask();
        Assert.Equal((1, 0), (a.Started, b.Started));
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, b.Started);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await b.WhenStarted(1);
        b.Attempt(0).SetResult("from b");
        var r = await pending;

        Assert.Equal("b", r.StrategyUsed);
        Assert.True(a.Tokens[0].IsCancellationRequested);
        Assert.Single(r.Attempts, x => x.Outcome == AttemptOutcome.Succeeded);
        Assert.Single(r.Attempts, x => x.Strategy == "a" && x.SkipReason == SkipReasons.LostTheRace);
    }

    [Fact]
    public async Task Hedged_AnswerWithinTheDelay_NeverStartsTheNext()
    {
        var time = NewTime();
        var engine = NewEngine(time, Hedge(TimeSpan.FromMilliseconds(100)));
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "op", ExecutionMode.Hedged).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(50));
        a.Attempt(0).SetResult("from a");
        var r = await pending;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("a", r.StrategyUsed);
        Assert.Equal(0, b.Started);
    }

    [Fact]
    public async Task Hedged_LeaderFails_NextStartsAtOnceWithoutWaitingForTheDelay()
    {
        var time = NewTime();
        var engine = NewEngine(time, Hedge(TimeSpan.FromSeconds(10)));
        var log = new List<string>();

        var pending = engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0, log), Ok("b", 0.5)], "op", ExecutionMode.Hedged);

        Assert.True(pending.IsCompleted); // no timer ran
        Assert.Equal("b", (await pending).StrategyUsed);
    }

    [Theory]
    [InlineData(true, 200)] // the fast leader deferred (rate limited): "steady" takes its place and is hedged on its own 200 ms
    [InlineData(false, 20)] // the fast leader runs: hedged on its 20 ms (twice its 10 ms mean)
    public async Task Hedged_LeaderDeferredAtAdmission_NextLeaderIsHedgedOnItsOwnDelay(bool fastDeferred, int expectedDelayMs)
    {
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        for (var i = 0; i < 20; i++)
        {
            analyzer.RecordSuccess("op", "fast", TimeSpan.FromMilliseconds(10));
        }

        for (var i = 0; i < 3; i++)
        {
            analyzer.RecordSuccess("op", "steady", TimeSpan.FromMilliseconds(100));
        }

        var engine = NewEngine(time, Hedge(null), analyzer);
        if (fastDeferred)
        {
            // A 429 asking for a minute's pause: "fast" is admitted to no execution until it passes, but still ranks first.
            await engine.ExecuteWithAlternativesAsync([Fails("fast", new ServiceException("slow down", 429, TimeSpan.FromMinutes(1))), Ok("other")], "op");
        }

        var fast = new Gated("fast", 1.0);
        var steady = new Gated("steady", 1.0);
        var spare = new Gated("spare", 0.1);
        var (leader, hedge) = fastDeferred ? (steady, spare) : (fast, steady);

        var pending = engine.ExecuteWithAlternativesAsync([fast.Strategy, steady.Strategy, spare.Strategy], "op", ExecutionMode.Hedged).AsTask();
        await leader.WhenStarted(1);
        for (var ms = 1; ms < expectedDelayMs; ms++)
        {
            // A millisecond at a time, yielding: a hedge due earlier has the chance to start before the check below.
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Yield();
        }

        Assert.Equal(0, hedge.Started); // not before the leader's own delay (deferred: "fast"'s 20 ms once started it here)
        time.Advance(TimeSpan.FromMilliseconds(1));
        await hedge.WhenStarted(1);     // at it
        leader.Attempt(0).SetResult("from the leader");
        var r = await pending;

        Assert.Equal(leader.Name, r.StrategyUsed);
        Assert.Equal(fastDeferred ? 0 : 1, fast.Started);
        Assert.Equal(fastDeferred, r.Attempts.Any(a => a.Strategy == "fast" && a.SkipReason == SkipReasons.RateLimited));
    }

    [Fact]
    public async Task Race_TwoSucceedAtTheSameMoment_OneSucceededRecord_TheOtherLostTheRace()
    {
        var time = NewTime();
        var engine = NewEngine(time, Hedge(null));

        // Both answer on the same timer tick and ignore cancellation: the second success arrives after the first was booked.
        Strategy<string> Answers(string name) => new(name, async _ =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, CancellationToken.None);
            return name;
        });

        var pending = engine.ExecuteWithAlternativesAsync([Answers("a"), Answers("b")], "op", ExecutionMode.Race).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(10));
        var r = await pending;

        Assert.Single(r.Attempts, x => x.Outcome == AttemptOutcome.Succeeded);
        var loser = Assert.Single(r.Attempts, x => x.Outcome == AttemptOutcome.Cancelled);
        Assert.Equal(SkipReasons.LostTheRace, loser.SkipReason);
        Assert.NotEqual(r.StrategyUsed, loser.Strategy);
    }

    [Theory]
    [InlineData(600, "failure", 1)]  // past half the 1 s strategy timeout: it gave no answer in time, whatever its latency
    [InlineData(150, "released", 0)] // past a tenth (the hedge delay's guess) but within half: not held against it
    public async Task Hedged_LeaderWithNothingKnownCut_LearnedAsATimeoutOnlyPastHalfTheTimeout(int answerAfterMilliseconds, string verdict, int failures)
    {
        // Nothing known of "a": it is hedged after a tenth of the strategy timeout (100 ms), and "b" answers later. A healthy
        // provider slower than a tenth of the timeout was once booked a failure on every race it lost, until blacklisted.
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var circuits = new Dictionary<string, VerdictCircuit>();
        var engine = NewEngine(time, Hedge(null), analyzer, (_, s) => circuits[s] = new VerdictCircuit());
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "op", ExecutionMode.Hedged).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(100));
        await b.WhenStarted(1);
        time.Advance(TimeSpan.FromMilliseconds(answerAfterMilliseconds - 100));
        b.Attempt(0).SetResult("from b");
        var r = await pending;

        Assert.Equal("b", r.StrategyUsed);
        Assert.Single(r.Attempts, x => x.Strategy == "a" && x.SkipReason == SkipReasons.LostTheRace); // the result: a loser either way
        Assert.Equal(verdict, await circuits["a"].Verdict.Task);
        Assert.Equal(failures, analyzer.GetStrategyStatistics("a", "op").Failures);
    }

    [Fact]
    public async Task Hedged_LeaderCutWithinItsUsualLatency_NotHeldAgainstIt()
    {
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var circuits = new Dictionary<string, VerdictCircuit>();
        var engine = NewEngine(time, Hedge(TimeSpan.FromMilliseconds(10)), analyzer, (_, s) => circuits[s] = new VerdictCircuit());
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "op", ExecutionMode.Hedged).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(10));
        await b.WhenStarted(1);
        time.Advance(TimeSpan.FromMilliseconds(10));
        b.Attempt(0).SetResult("from b");
        var r = await pending;

        Assert.Equal("b", r.StrategyUsed);
        Assert.Equal("released", await circuits["a"].Verdict.Task); // no verdict: a neutral cancellation
        Assert.Equal(0, analyzer.GetStrategyStatistics("a", "op").Failures);
    }

    [Theory]
    [InlineData(0, "released", 0)]     // cut within its usual latency: the permit given back, nothing learned
    [InlineData(600, "failure", 1)]    // cut far past it (nothing known: half the 1 s strategy timeout): a timeout for circuit and learning
    public async Task Race_LoserIgnoresCancellation_BookedWhenTheRaceIsDecided_AndOnlyOnce(int answerAfterMilliseconds, string verdict, int failures)
    {
        // "slow" never looks at its token: it is still running when the race is decided, and answers much later. What the
        // race books for it is in force before the execution returns, so the next execution ranks and admits with it known.
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        var circuits = new Dictionary<string, CountingCircuit>();
        var engine = NewEngine(time, Hedge(null), analyzer, (_, s) => circuits[s] = new CountingCircuit());
        var late = new TaskCompletionSource<string>();
        var slow = new Strategy<string>("slow", async _ => await late.Task.ConfigureAwait(false), 1.0);
        var fast = new Gated("fast", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([slow, fast.Strategy], "op", ExecutionMode.Race).AsTask();
        await fast.WhenStarted(1);
        time.Advance(TimeSpan.FromMilliseconds(answerAfterMilliseconds));
        fast.Attempt(0).SetResult("from fast");
        var r = await pending;

        Assert.Equal("fast", r.StrategyUsed);
        Assert.Equal([verdict], circuits["slow"].Calls);
        Assert.Equal(failures, analyzer.GetStrategyStatistics("slow", "op").Failures);

        late.SetResult("from slow, too late");

        // Its late answer books nothing more: one verdict per admitted attempt, and no success learned from a loser.
        Assert.Equal([verdict], circuits["slow"].Calls);
        Assert.Equal(0, analyzer.GetStrategyStatistics("slow", "op").Successes);
    }

    [Theory]
    [InlineData(0, true)]    // cut within its usual latency: no verdict, the probe is given back and due again at once
    [InlineData(600, false)] // cut long after it (half the 1 s timeout): a timeout, the probe failed and its interval doubles
    public async Task Race_BlacklistProbeLoses_GivenBackOnlyWithoutAVerdict(int answerAfterMilliseconds, bool dueAgain)
    {
        var time = NewTime();
        await using var analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: time), timeProvider: time);
        for (var i = 0; i < 5; i++)
        {
            analyzer.RecordFailure(Transient(), "op", strategy: "a");
        }

        Assert.True(analyzer.IsStrategyBlacklisted("a", "op"));
        time.Advance(analyzer.Options.BlacklistProbeInterval);
        var engine = NewEngine(time, Hedge(null), analyzer, (_, _) => new CountingCircuit());
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.5);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "op", ExecutionMode.Race).AsTask();
        await a.WhenStarted(1); // the recovery probe
        await b.WhenStarted(1);
        time.Advance(TimeSpan.FromMilliseconds(answerAfterMilliseconds));
        b.Attempt(0).SetResult("from b");
        var r = await pending;

        Assert.Equal("b", r.StrategyUsed);
        Assert.True(analyzer.IsStrategyBlacklisted("a", "op"));
        Assert.Equal(dueAgain, analyzer.TryBeginProbe("a", "op"));
    }

    [Fact]
    public async Task RetryBudget_Spent_SameStrategyNotRetried_ButOtherStrategiesStillTried()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.MaxAttempts = 5; o.RetryBudget = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 0 }; }));
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0, log), Ok("b", 0.5)], "op");

        Assert.Equal(["a"], log); // no retry of "a": the budget allows none
        Assert.Equal("b", r.StrategyUsed); // a move to another strategy is not a retry
    }

    [Fact]
    public async Task RetryBudget_WithinBudget_Retries()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.MaxAttempts = 3; o.RetryBudget = new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 1 }; }));
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0, log)], "op");

        Assert.False(r.Success);
        Assert.Equal(3, log.Count); // 1 retry per second over a 10 s window: 10 retries, two used here
    }

    [Fact]
    public async Task RetryBudget_Null_NeverRefuses()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.MaxAttempts = 4; o.RetryBudget = null; }));
        var log = new List<string>();

        await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0, log)], "op");

        Assert.Equal(4, log.Count); // the same options with a zero budget make one attempt (above)
    }
}

/// <summary>A circuit that admits everything and reports the verdict of the attempt it admitted.</summary>
internal sealed class VerdictCircuit : IEngineCircuit
{
    public TaskCompletionSource<string> Verdict { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool TryAcquire(out TimeSpan? retryAfter)
    {
        retryAfter = null;
        return true;
    }

    public void RecordSuccess() => Verdict.TrySetResult("success");

    public void RecordFailure(Exception error) => Verdict.TrySetResult("failure");

    public void Release() => Verdict.TrySetResult("released");
}

/// <summary>A circuit that admits everything and lists every verdict it was given, in order.</summary>
internal sealed class CountingCircuit : IEngineCircuit
{
    private readonly Lock _lock = new();
    private readonly List<string> _calls = [];

    public string[] Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public bool TryAcquire(out TimeSpan? retryAfter)
    {
        retryAfter = null;
        return true;
    }

    public void RecordSuccess() => Add("success");

    public void RecordFailure(Exception error) => Add("failure");

    public void Release() => Add("released");

    private void Add(string verdict)
    {
        lock (_lock)
        {
            _calls.Add(verdict);
        }
    }
}
