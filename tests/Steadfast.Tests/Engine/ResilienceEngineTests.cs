using Polly.Timeout;
using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Engine;

public class ResilienceEngineTests
{
    // ---- single operation ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task ExecuteAsync_SucceedsAtOnce_ReturnsValueAndOneAttempt()
    {
        var time = NewTime();
        var engine = NewEngine(time);

        var r = await engine.ExecuteAsync(_ => Task.FromResult("profile"), "fetch_user_profile");

        Assert.True(r.Success);
        Assert.Equal(StopReason.Succeeded, r.StopReason);
        Assert.Equal("profile", r.Value);
        Assert.Null(r.Error);
        Assert.Equal("fetch_user_profile", r.StrategyUsed);
        var a = Assert.Single(r.Attempts);
        Assert.Equal(AttemptOutcome.Succeeded, a.Outcome);
        Assert.Equal(1, a.AttemptNumber);
        Assert.Equal(FailurePattern.None, r.Pattern);
        Assert.Empty(r.Recommendations);
        Assert.Equal(1, r.AttemptCount);
    }

    [Fact]
    public async Task ExecuteAsync_TransientFailures_RetriedWithBackoffUntilSuccess()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.InitialDelay = TimeSpan.FromSeconds(1); o.MaxDelay = TimeSpan.FromSeconds(60); }));
        var calls = 0;

        var r = await Drive(time, engine.ExecuteAsync(_ => ++calls < 3 ? Task.FromException<string>(Transient()) : Task.FromResult("ok"), "op"));

        Assert.True(r.Success);
        Assert.Equal(3, calls);
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Succeeded], r.Attempts.Select(a => a.Outcome));
        Assert.Equal([1, 2, 3], r.Attempts.Select(a => a.AttemptNumber));
        Assert.Equal(TimeSpan.Zero, r.Attempts[0].DelayBefore);
        Assert.True(r.Attempts[1].DelayBefore > TimeSpan.Zero);
        Assert.True(r.Attempts[2].DelayBefore > TimeSpan.Zero);
    }

    [Fact]
    public async Task ExecuteAsync_TransientFailuresEveryTime_StopsAfterMaxAttempts()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => o.MaxAttempts = 4));
        var calls = 0;

        var r = await engine.ExecuteAsync<string>(_ =>
        {
            calls++;
            throw Transient();
        }, "op");

        Assert.False(r.Success);
        Assert.Equal(4, calls);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
        Assert.IsType<ServiceException>(r.Error);
        Assert.NotEmpty(r.Recommendations);
    }

    [Fact]
    public async Task ExecuteAsync_NonTransientError_NotRetried()
    {
        var time = NewTime();
        var engine = NewEngine(time);
        var calls = 0;

        var r = await engine.ExecuteAsync<string>(_ =>
        {
            calls++;
            throw Permanent();
        }, "op");

        Assert.Equal(1, calls);
        Assert.IsType<ArgumentException>(r.Error);
        Assert.Contains(r.Recommendations, s => s.Contains("not transient", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task ExecuteAsync_NonTransientStatus_MovesToNextStrategyAtOnce(int status)
    {
        var time = NewTime();
        var engine = NewEngine(time);
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync(
            [Fails("a", new ServiceException("no", status), 1.0, log), Ok("b", 0.5)], "op");

        Assert.Equal(["a"], log);
        Assert.Equal("b", r.StrategyUsed);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterHintLongerThanBackoff_WaitsExactlyTheHint()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.InitialDelay = TimeSpan.FromMilliseconds(10); o.MaxDelay = TimeSpan.FromSeconds(60); }));
        var starts = new List<DateTimeOffset>();

        var task = engine.ExecuteAsync(_ =>
        {
            starts.Add(time.GetUtcNow());
            return starts.Count == 1
                ? Task.FromException<string>(new ServiceException("slow down", 429, TimeSpan.FromSeconds(10)))
                : Task.FromResult("ok");
        }, "op").AsTask();

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        Assert.Single(starts);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var r = await task;

        Assert.True(r.Success);
        Assert.Equal(TimeSpan.FromSeconds(10), starts[1] - starts[0]);
        Assert.Equal(TimeSpan.FromSeconds(10), r.Attempts[1].DelayBefore);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterHintBeyondMaxDelay_NotRetriedAndNoWait()
    {
        // The service asks for 10 s, more than the engine may wait (MaxDelay 1 s): retrying after 1 s would go against what it
        // said, and waiting 10 s is not allowed, so the strategy is not retried and the call ends at once with the failure.
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.InitialDelay = TimeSpan.FromMilliseconds(10); o.MaxDelay = TimeSpan.FromSeconds(1); }));
        var calls = 0;

        var pending = engine.ExecuteAsync(_ =>
        {
            calls++;
            return Task.FromException<string>(new ServiceException("slow down", 429, TimeSpan.FromSeconds(10)));
        }, "op");

        Assert.True(pending.IsCompleted); // no timer was needed: nothing waited
        var r = await pending;
        Assert.False(r.Success);
        Assert.Equal(1, calls);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task ExecuteAsync_BackoffLongerThanRetryAfterHint_WaitsTheBackoff()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.InitialDelay = TimeSpan.FromSeconds(2); o.MaxDelay = TimeSpan.FromSeconds(60); }));
        var starts = new List<DateTimeOffset>();

        var r = await Drive(time, engine.ExecuteAsync(_ =>
        {
            starts.Add(time.GetUtcNow());
            return starts.Count == 1
                ? Task.FromException<string>(new ServiceException("slow down", 429, TimeSpan.FromMilliseconds(500)))
                : Task.FromResult("ok");
        }, "op"), TimeSpan.FromMilliseconds(50));

        Assert.True(r.Success);
        Assert.Equal(TimeSpan.FromSeconds(2), starts[1] - starts[0]);
    }

    [Fact]
    public async Task ExecuteAsync_BackoffFactor_EachWaitGrowsByTheFactor()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.InitialDelay = TimeSpan.FromSeconds(1); o.BackoffFactor = 3; o.MaxDelay = TimeSpan.FromSeconds(60); }));
        var starts = new List<DateTimeOffset>();

        var r = await Drive(time, engine.ExecuteAsync(_ =>
        {
            starts.Add(time.GetUtcNow());
            return starts.Count < 3 ? Task.FromException<string>(Transient()) : Task.FromResult("ok");
        }, "op"), TimeSpan.FromMilliseconds(50));

        // The test kit's randomizer answers 0.5: the middle of the ±25 % jitter, so the waits are the plain backoff.
        Assert.True(r.Success);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)], [starts[1] - starts[0], starts[2] - starts[1]]);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterBeyondDeadline_MovesOnInsteadOfWaiting()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => o.MaxTotalTime = TimeSpan.FromSeconds(30)));

        var r = await engine.ExecuteWithAlternativesAsync(
            [Fails("a", new ServiceException("busy", 503, TimeSpan.FromMinutes(10))), Ok("b", 0.5)], "op");

        Assert.Equal("b", r.StrategyUsed);
        Assert.Single(r.Attempts, a => a.Strategy == "a");
    }

    [Fact]
    public async Task ExecuteAsync_AttemptExceedsStrategyTimeout_CountsAsTimeoutAndRetries()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => o.StrategyTimeout = TimeSpan.FromSeconds(5)));
        var gated = new Gated("op");
        var pending = engine.ExecuteWithAlternativesAsync([gated.Strategy], "op").AsTask();

        Assert.Equal(1, gated.Started);
        time.Advance(TimeSpan.FromSeconds(5));
        await gated.WhenStarted(2);
        gated.Attempt(1).SetResult("second");
        var r = await pending;

        Assert.True(r.Success);
        Assert.Equal("second", r.Value);
        var timedOut = r.Attempts[0];
        Assert.Equal(AttemptOutcome.Failed, timedOut.Outcome);
        Assert.IsType<TimeoutRejectedException>(timedOut.Error);
        Assert.Equal(ErrorCategory.Timeout, ErrorClassifier.Classify(timedOut.Error!));
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancelsDuringAttempt_ThrowsOperationCanceled()
    {
        var time = NewTime();
        var engine = NewEngine(time);
        var gated = new Gated("op");
        using var cts = new CancellationTokenSource();
        var pending = engine.ExecuteWithAlternativesAsync([gated.Strategy], "op", cancellationToken: cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.True(gated.Tokens[0].IsCancellationRequested);
    }

    [Fact]
    public async Task ExecuteAsync_CallerAlreadyCancelled_ThrowsWithoutCalling()
    {
        var engine = NewEngine(NewTime());
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await engine.ExecuteAsync(_ => Task.FromResult(++calls), "op", cancellationToken: new CancellationToken(true)));
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task ExecuteAsync_OperationThrowsSynchronously_FailureIsInTheResultNotThrown()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.MaxAttempts = 1));

        var r = await engine.ExecuteAsync<string>(_ => throw new InvalidOperationException("boom"), "op");

        Assert.False(r.Success);
        Assert.IsType<InvalidOperationException>(r.Error);
    }

    [Fact]
    public void Execute_Sync_ReturnsTheSameResult()
    {
        var engine = NewEngine(NewTime());

        var ok = engine.Execute(_ => 42, "sync_op");
        var alt = engine.ExecuteWithAlternatives([Fails("a", Permanent()), Ok("b", 0.5)], "sync_alt");

        Assert.Equal(42, ok.Value);
        Assert.Equal("b", alt.StrategyUsed);
    }

    // ---- alternatives, ranking, blacklist, circuits --------------------------------------------------------------------

    [Fact]
    public async Task ExecuteWithAlternatives_Sequential_TriesInRankOrder()
    {
        var engine = NewEngine(NewTime());
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync(
            [Fails("cache", Permanent(), 0.5, log), Fails("primary", Permanent(), 1.0, log), Fails("backup", Permanent(), 0.8, log)], "op");

        Assert.Equal(["primary", "backup", "cache"], log);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task ExecuteWithAlternatives_FirstFailsForGood_NextSucceedsAndAttemptsShowBoth()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.MaxAttempts = 2));

        var r = await engine.ExecuteWithAlternativesAsync([Fails("primary", Transient(), 1.0), Ok("backup", 0.8)], "op");

        Assert.True(r.Success);
        Assert.Equal("backup", r.StrategyUsed);
        Assert.Equal(["primary", "primary", "backup"], r.Attempts.Select(a => a.Strategy));
        Assert.Equal(2, r.FailedAttempts);
    }

    [Fact]
    public async Task ExecuteWithAlternatives_HistoryOutweighsPriority_RanksReliableStrategyFirst()
    {
        var time = NewTime();
        var analyzer = new FailureAnalyzer(timeProvider: time);
        // Three failures: below the analyzer's automatic blacklist, so only the ranking demotes it.
        for (var i = 0; i < 3; i++)
        {
            analyzer.RecordFailure(Transient(), "op", null, "primary");
            analyzer.RecordSuccess("op", "backup", TimeSpan.FromMilliseconds(50));
        }

        var engine = NewEngine(time, analyzer: analyzer);
        var log = new List<string>();

        await engine.ExecuteWithAlternativesAsync([Fails("primary", Permanent(), 1.0, log), Fails("backup", Permanent(), 0.8, log)], "op");

        Assert.Equal(["backup", "primary"], log);
    }

    [Fact]
    public async Task ExecuteWithAlternatives_NoHistory_PriorityDecides()
    {
        var engine = NewEngine(NewTime());
        var log = new List<string>();

        await engine.ExecuteWithAlternativesAsync([Fails("backup", Permanent(), 0.8, log), Fails("primary", Permanent(), 1.0, log)], "op");

        Assert.Equal(["primary", "backup"], log);
    }

    [Fact]
    public async Task ExecuteWithAlternatives_BlacklistedStrategy_SkippedAndRecorded()
    {
        var time = NewTime();
        var analyzer = new FailureAnalyzer(timeProvider: time);
        await analyzer.AddToBlacklistAsync("primary", "op", "keeps timing out", TimeSpan.FromMinutes(5));
        var engine = NewEngine(time, analyzer: analyzer);
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("primary", Permanent(), 1.0, log), Ok("backup", 0.5)], "op");

        Assert.Empty(log);
        Assert.Equal("backup", r.StrategyUsed);
        var skipped = Assert.Single(r.Attempts, a => a.Skipped);
        Assert.Equal("primary", skipped.Strategy);
        Assert.Contains("keeps timing out", skipped.SkipReason, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), skipped.RetryAfter);
    }

    [Fact]
    public async Task ExecuteWithAlternatives_NotBlacklisted_NotSkipped()
    {
        var time = NewTime();
        var analyzer = new FailureAnalyzer(timeProvider: time);
        await analyzer.AddToBlacklistAsync("primary", "other_op", "elsewhere");
        var engine = NewEngine(time, analyzer: analyzer);

        var r = await engine.ExecuteWithAlternativesAsync([Ok("primary", 1.0), Ok("backup", 0.5)], "op");

        Assert.Equal("primary", r.StrategyUsed);
        Assert.DoesNotContain(r.Attempts, a => a.Skipped);
    }

    [Fact]
    public async Task ExecuteWithAlternatives_AllBlacklisted_TriesTheOneExpiringFirst()
    {
        var time = NewTime();
        var analyzer = new FailureAnalyzer(timeProvider: time);
        await analyzer.AddToBlacklistAsync("a", "op", "bad", TimeSpan.FromHours(2));
        await analyzer.AddToBlacklistAsync("b", "op", "bad", TimeSpan.FromMinutes(10));
        await analyzer.AddToBlacklistAsync("c", "op", "bad");
        var engine = NewEngine(time, analyzer: analyzer);

        var r = await engine.ExecuteWithAlternativesAsync([Ok("a", 1.0), Ok("b", 0.9), Ok("c", 0.8)], "op");

        Assert.Equal("b", r.StrategyUsed);
        Assert.Equal(["a", "c"], r.Attempts.Where(x => x.Skipped).Select(x => x.Strategy));
    }

    [Fact]
    public async Task ExecuteWithAlternatives_OpenCircuit_SkippedWithRetryAfter()
    {
        var circuits = new Dictionary<string, ManualCircuit>
        {
            ["primary"] = new() { OpenFor = TimeSpan.FromSeconds(12) },
            ["backup"] = new(),
        };
        var engine = NewEngine(NewTime(), circuits: (_, s) => circuits[s]);
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("primary", Permanent(), 1.0, log), Ok("backup", 0.5)], "op");

        Assert.Empty(log);
        Assert.Equal("backup", r.StrategyUsed);
        var skipped = Assert.Single(r.Attempts, a => a.Skipped);
        Assert.Equal("circuit open", skipped.SkipReason);
        Assert.Equal(TimeSpan.FromSeconds(12), skipped.RetryAfter);
        Assert.Equal(1, r.AttemptCount);
        Assert.Equal(1, circuits["backup"].Successes);
    }

    [Fact]
    public async Task ExecuteAsync_RepeatedFailures_OpenTheDefaultCircuitThenSkip()
    {
        // A deadline shorter than the cooldown: the open circuit will not let a probe through in time, so the call stops at once.
        var time = NewTime();
        var engine = NewEngine(time, Fast(o =>
        {
            o.MaxAttempts = 1;
            o.MaxTotalTime = CircuitBreakerConstants.DefaultCooldown / 2;
        }));
        var calls = 0;
        Task<string> Op(CancellationToken _)
        {
            calls++;
            return Task.FromException<string>(Transient());
        }

        for (var i = 0; i < CircuitBreakerConstants.DefaultFailureThreshold; i++)
        {
            await engine.ExecuteAsync(Op, "op");
        }

        var r = await engine.ExecuteAsync(Op, "op");

        Assert.Equal(CircuitBreakerConstants.DefaultFailureThreshold, calls);
        Assert.Equal(StopReason.TimeBudget, r.StopReason);
        var skipped = Assert.Single(r.Attempts);
        Assert.True(skipped.Skipped);
        Assert.Equal(CircuitBreakerConstants.DefaultCooldown, skipped.RetryAfter);
        Assert.True(engine.CircuitBreakers.TryGet("op/op", out var circuit));
        Assert.Equal(CircuitState.Open, circuit.State);

        time.Advance(CircuitBreakerConstants.DefaultCooldown);
        await engine.ExecuteAsync(_ => Task.FromResult("ok"), "op");
        var closed = await engine.ExecuteAsync(_ => Task.FromResult("ok"), "op");
        Assert.True(closed.Success);
        Assert.Equal(CircuitState.Closed, circuit.State);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidInputErrors_DoNotOpenTheCircuit()
    {
        var engine = NewEngine(NewTime());
        for (var i = 0; i < CircuitBreakerConstants.DefaultFailureThreshold * 2; i++)
        {
            await engine.ExecuteAsync<string>(_ => throw Permanent(), "op");
        }

        Assert.True(engine.CircuitBreakers.TryGet("op/op", out var circuit));
        Assert.Equal(CircuitState.Closed, circuit.State);
    }

    [Fact]
    public async Task Constructor_SharedRegistry_CircuitsLiveThere()
    {
        var time = NewTime();
        var registry = new CircuitBreakerRegistry(timeProvider: time);
        var engine = new ResilienceEngine(Fast(), timeProvider: time, circuitBreakers: registry);

        await engine.ExecuteWithAlternativesAsync([Ok("primary")], "fetch");

        Assert.Same(registry, engine.CircuitBreakers);
        Assert.True(registry.TryGet("fetch/primary", out _));
    }

    [Fact]
    public async Task ExecuteWithAlternatives_EnableAlternativesOff_TriesOnlyTheBest()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.EnableAlternatives = false));
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent(), 1.0, log), Fails("b", Permanent(), 0.5, log)], "op");

        Assert.Equal(["a"], log);
        Assert.False(r.Success);
    }

    // ---- budgets -------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task MaxTotalAttempts_Exhausted_StopsWithAttemptBudget()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 5; o.MaxTotalAttempts = 3; }));
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0, log), Fails("b", Transient(), 0.5, log)], "op");

        Assert.Equal(["a", "a", "a"], log);
        Assert.Equal(StopReason.AttemptBudget, r.StopReason);
        Assert.Contains(r.Recommendations, s => s.Contains("MaxTotalAttempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxTotalAttempts_JustEnough_IsNotNamedAsTheReason()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 2; o.MaxTotalAttempts = 4; }));

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0), Fails("b", Transient(), 0.5)], "op");

        Assert.Equal(4, r.AttemptCount);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task MaxApiCost_NextAttemptWouldExceed_StopsWithCostBudget()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 5; o.MaxApiCost = 1.0m; }));
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("paid", Transient(), 1.0, log) with { Cost = 0.4m }], "op");

        Assert.Equal(["paid", "paid"], log);
        Assert.Equal(0.8m, r.Cost);
        Assert.Equal(StopReason.CostBudget, r.StopReason);
        Assert.Contains(r.Attempts, a => a.Skipped && a.SkipReason!.StartsWith("cost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxApiCost_FreeStrategyAfterExpensiveOne_StillTried()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 1; o.MaxApiCost = 1.0m; }));

        var r = await engine.ExecuteWithAlternativesAsync(
            [Fails("paid", Transient(), 1.0) with { Cost = 0.9m }, Fails("dear", Transient(), 0.5) with { Cost = 0.5m }, Ok("cache", 0.1)], "op");

        Assert.Equal("cache", r.StrategyUsed);
        Assert.Equal(0.9m, r.Cost);
    }

    [Fact]
    public async Task MaxApiCost_ReportedCost_CountsAgainstTheBudget()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 1; o.MaxApiCost = 1.0m; }));
        var metered = new Strategy<string>("llm", (ctx, _) =>
        {
            ctx.ReportCost(0.85m);
            return Task.FromException<string>(Transient());
        });

        var r = await engine.ExecuteWithAlternativesAsync([metered, Fails("other", Transient(), 0.5) with { Cost = 0.2m }], "op");

        Assert.Equal(0.85m, r.Cost);
        Assert.Equal(0.85m, r.Attempts[0].Cost);
        Assert.Equal(StopReason.CostBudget, r.StopReason);
    }

    [Fact]
    public async Task MaxTotalTime_Passes_CancelsTheInFlightAttemptAndNamesTimeBudget()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.MaxTotalTime = TimeSpan.FromSeconds(20); o.StrategyTimeout = TimeSpan.FromMinutes(1); }));
        var gated = new Gated("slow");
        var pending = engine.ExecuteWithAlternativesAsync([gated.Strategy], "op").AsTask();

        time.Advance(TimeSpan.FromSeconds(20));
        var r = await pending;

        Assert.True(gated.Tokens[0].IsCancellationRequested);
        Assert.Equal(StopReason.TimeBudget, r.StopReason);
        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(r.Attempts).Outcome);
        Assert.Contains(r.Recommendations, s => s.Contains("MaxTotalTime", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxTotalTime_NotReached_IsNotNamed()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.MaxTotalTime = TimeSpan.FromSeconds(20); o.MaxAttempts = 1; }));
        var gated = new Gated("slow");
        var pending = engine.ExecuteWithAlternativesAsync([gated.Strategy], "op").AsTask();

        time.Advance(TimeSpan.FromSeconds(19));
        gated.Attempt(0).SetException(Transient());
        var r = await pending;

        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    // ---- learning ------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Learning_EveryFailureAndSuccess_RecordedWithStrategyAndContext()
    {
        var time = NewTime();
        var analyzer = new FailureAnalyzer(timeProvider: time);
        var engine = NewEngine(time, Fast(o => o.MaxAttempts = 3), analyzer);
        var context = new Dictionary<string, object?> { ["endpoint"] = "/users/123" };

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0), Ok("b", 0.5)], "fetch", context);

        var a = analyzer.GetStrategyStatistics("a", "fetch");
        var b = analyzer.GetStrategyStatistics("b", "fetch");
        Assert.Equal(3, a.Failures);
        Assert.Equal(1, b.Successes);
        Assert.True(r.Success);
        Assert.Equal(FailurePattern.Repeating, r.Pattern);
        Assert.NotEmpty(r.Recommendations);
    }

    [Fact]
    public async Task Learning_Off_NothingRecordedAndNoAnalyzer()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.EnableLearning = false));

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent()), Ok("b", 0.5)], "op");

        Assert.Null(engine.Analyzer);
        Assert.True(r.Success);
        Assert.Equal(FailurePattern.None, r.Pattern);
    }
}
