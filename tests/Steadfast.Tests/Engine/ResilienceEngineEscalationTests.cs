using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Engine;

public class ResilienceEngineEscalationTests
{
    [Fact]
    public async Task Escalated_AfterThreshold_RaisedOnceWithTheSituation()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 5; o.EscalateAfterFailures = 2; o.UserInterventionThreshold = 100; }));
        var raised = new List<EscalationEventArgs>();
        engine.Escalated += (_, e) => raised.Add(e);

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient())], "op");

        var e = Assert.Single(raised);
        Assert.Equal(2, e.FailedAttempts);
        Assert.Equal("op", e.OperationName);
        Assert.Equal(2, e.Situation.Attempts.Count);
        Assert.True(r.Escalated);
    }

    [Fact]
    public async Task Escalated_BelowThreshold_NotRaised()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 2; o.EscalateAfterFailures = 3; }));
        var raised = 0;
        engine.Escalated += (_, _) => raised++;

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient())], "op");

        Assert.Equal(0, raised);
        Assert.False(r.Escalated);
    }

    [Fact]
    public async Task Escalated_SubscriberThrows_ExecutionContinues()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.EscalateAfterFailures = 1; }));
        engine.Escalated += (_, _) => throw new InvalidOperationException("subscriber bug");

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent()), Ok("b", 0.5)], "op");

        Assert.True(r.Success);
    }

    [Fact]
    public async Task Intervention_NoHandler_StopsWithInterventionRequired()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 5; o.EscalateAfterFailures = 2; o.UserInterventionThreshold = 3; }));
        var log = new List<string>();

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0, log), Fails("b", Transient(), 0.5, log)], "op");

        Assert.Equal(["a", "a", "a"], log);
        Assert.Equal(StopReason.InterventionRequired, r.StopReason);
        Assert.Contains(r.Recommendations, s => s.Contains("IInterventionHandler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Intervention_BelowThreshold_NotAsked()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 2; o.EscalateAfterFailures = 3; o.UserInterventionThreshold = 3; }));
        var handler = new Handler(_ => InterventionDecision<string>.Stop());
        engine.InterventionHandler = handler;

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient())], "op");

        Assert.Equal(0, handler.Calls);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task Intervention_HandlerSuppliesStrategy_ItIsTriedNext()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 5; o.EscalateAfterFailures = 2; o.UserInterventionThreshold = 2; }));
        var handler = new Handler(_ => InterventionDecision<string>.Use(Ok("manual")));
        engine.InterventionHandler = handler;

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient(), 1.0), Fails("b", Transient(), 0.5)], "op");

        Assert.Equal(1, handler.Calls);
        Assert.Equal("manual", r.StrategyUsed);
        Assert.Equal(2, handler.LastSituation!.FailedAttempts);
        Assert.DoesNotContain(r.Attempts, a => a.Strategy == "b");
    }

    [Fact]
    public async Task Intervention_HandlerStops_StoppedByInterventionWithReason()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.EscalateAfterFailures = 1; o.UserInterventionThreshold = 1; }));
        engine.InterventionHandler = new Handler(_ => InterventionDecision<string>.Stop("on-call said no"));

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent()), Ok("b", 0.5)], "op");

        Assert.Equal(StopReason.StoppedByIntervention, r.StopReason);
        Assert.Contains(r.Recommendations, s => s.Contains("on-call said no", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Intervention_HandlerContinues_AskedAgainAfterAnotherThreshold()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 5; o.EscalateAfterFailures = 2; o.UserInterventionThreshold = 2; }));
        var handler = new Handler(_ => InterventionDecision<string>.Continue());
        engine.InterventionHandler = handler;

        var r = await engine.ExecuteWithAlternativesAsync([Fails("a", Transient())], "op");

        Assert.Equal(5, r.FailedAttempts);
        Assert.Equal(2, handler.Calls);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task CreativeSolver_GivenStrategiesExhausted_ProposedStrategyTriedWithinBudgets()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.MaxAttempts = 1));
        var solver = new Solver(_ => Ok("workaround"));
        engine.CreativeSolver = solver;

        var r = await engine.ExecuteAsync<string>(_ => throw Transient(), "op");

        Assert.Equal(1, solver.Calls);
        Assert.Equal("workaround", r.StrategyUsed);
        Assert.Equal(["op", "workaround"], r.Attempts.Select(a => a.Strategy));
    }

    [Fact]
    public async Task CreativeSolver_Disabled_NotAsked()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.MaxAttempts = 1; o.EnableCreativeSolving = false; }));
        var solver = new Solver(_ => Ok("workaround"));
        engine.CreativeSolver = solver;

        var r = await engine.ExecuteAsync<string>(_ => throw Transient(), "op");

        Assert.Equal(0, solver.Calls);
        Assert.False(r.Success);
    }

    [Fact]
    public async Task CreativeSolver_KeepsFailing_AskedAtMostMaxCreativeRounds()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.MaxAttempts = 1));
        var n = 0;
        var solver = new Solver(_ => Fails("idea" + ++n, Transient()));
        engine.CreativeSolver = solver;

        var r = await engine.ExecuteAsync<string>(_ => throw Transient(), "op");

        Assert.Equal(ResilienceConstants.MaxCreativeRounds, solver.Calls);
        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task CreativeSolver_Throws_ExecutionEndsNormally()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.MaxAttempts = 1));
        engine.CreativeSolver = new Solver(_ => throw new InvalidOperationException("solver bug"));

        var r = await engine.ExecuteAsync<string>(_ => throw Transient(), "op");

        Assert.Equal(StopReason.AllStrategiesFailed, r.StopReason);
    }

    [Fact]
    public async Task Progress_Enabled_RaisesAttemptAndSwitchEventsWithBudgetsLeft()
    {
        var engine = NewEngine(NewTime(), Fast(o => { o.EnableProgressTracking = true; o.MaxAttempts = 1; }));
        var events = new List<ResilienceProgressEventArgs>();
        engine.Progress += (_, e) => events.Add(e);

        await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent(), 1.0), Ok("b", 0.5)], "op");

        Assert.Equal(
            [ProgressKind.AttemptStarted, ProgressKind.AttemptFinished, ProgressKind.StrategySwitched, ProgressKind.AttemptStarted, ProgressKind.AttemptFinished],
            events.Select(e => e.Kind));
        Assert.Equal(AttemptOutcome.Failed, events[1].Outcome);
        Assert.Equal("b", events[2].Strategy);
        Assert.Equal(ResilienceConstants.DefaultMaxTotalAttempts - 1, events[1].AttemptsLeft);
    }

    [Fact]
    public async Task Progress_Disabled_NoEvents()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.EnableProgressTracking = false));
        var events = 0;
        engine.Progress += (_, _) => events++;

        await engine.ExecuteWithAlternativesAsync([Fails("a", Permanent(), 1.0), Ok("b", 0.5)], "op");

        Assert.Equal(0, events);
    }

    [Fact]
    public async Task Progress_LongExecution_SnapshotEveryCheckpointInterval()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o => { o.EnableProgressTracking = true; o.CheckpointInterval = TimeSpan.FromSeconds(1); }));
        var snapshots = new List<ResilienceProgressEventArgs>();
        engine.Progress += (_, e) =>
        {
            if (e.Kind == ProgressKind.Snapshot)
            {
                snapshots.Add(e);
            }
        };
        var gated = new Gated("slow");

        var pending = engine.ExecuteWithAlternativesAsync([gated.Strategy], "op").AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        gated.Attempt(0).SetResult("done");
        await pending;
        var count = snapshots.Count;
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(3, count);
        Assert.Equal(count, snapshots.Count);
        Assert.Equal(TimeSpan.FromSeconds(3), snapshots[2].Elapsed);
    }

    [Fact]
    public async Task Progress_SubscriberThrows_ExecutionContinues()
    {
        var engine = NewEngine(NewTime(), Fast(o => o.EnableProgressTracking = true));
        engine.Progress += (_, _) => throw new InvalidOperationException("subscriber bug");

        var r = await engine.ExecuteAsync(_ => Task.FromResult(1), "op");

        Assert.True(r.Success);
    }

    [Fact]
    public async Task Intervention_RacersDueTogether_ShareOneRequest()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o =>
        {
            o.MaxAttempts = 3; o.EscalateAfterFailures = 1; o.UserInterventionThreshold = 1; o.MaxParallelStrategies = 2; o.EnableProgressTracking = true;
        }));
        var decision = new TaskCompletionSource<InterventionDecision<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new AsyncHandler(decision.Task);
        engine.InterventionHandler = handler;
        // Raised once the engine has counted b's failure: from then on both racers are due while a's request is open.
        var bFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Progress += (_, e) =>
        {
            if (e is { Kind: ProgressKind.AttemptFinished, Strategy: "b", Outcome: AttemptOutcome.Failed })
            {
                bFailed.TrySetResult();
            }
        };
        var a = new Gated("a", 1.0);
        var b = new Gated("b", 0.8);

        var pending = engine.ExecuteWithAlternativesAsync([a.Strategy, b.Strategy], "race", parallel: true).AsTask();
        a.Attempt(0).SetException(Transient());
        await handler.FirstCall;
        b.Attempt(0).SetException(Transient());
        await bFailed.Task;

        Assert.Equal(1, handler.Calls);
        Assert.Equal(1, a.Started);
        Assert.Equal(1, b.Started);
        decision.SetResult(InterventionDecision<string>.Continue());
        await Task.WhenAll(a.WhenStarted(2), b.WhenStarted(2));
        a.Attempt(1).SetResult("from a");
        var r = await pending;

        Assert.Equal(1, handler.Calls);
        Assert.Equal("a", r.StrategyUsed);
    }

    [Fact]
    public async Task Intervention_HandlerSlowerThanStrategyTimeout_NextAttemptStillGetsItsWholeTimeout()
    {
        var time = NewTime();
        var engine = NewEngine(time, Fast(o =>
        {
            o.MaxAttempts = 3; o.EscalateAfterFailures = 1; o.UserInterventionThreshold = 1; o.StrategyTimeout = TimeSpan.FromSeconds(5);
        }));
        var decision = new TaskCompletionSource<InterventionDecision<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new AsyncHandler(decision.Task);
        engine.InterventionHandler = handler;
        var calls = 0;

        var pending = engine.ExecuteAsync(ct =>
        {
            if (++calls == 1)
            {
                return Task.FromException<string>(Transient());
            }

            ct.ThrowIfCancellationRequested();
            return Task.FromResult("ok");
        }, "op").AsTask();
        await handler.FirstCall;
        time.Advance(TimeSpan.FromSeconds(10)); // a person takes longer to decide than one attempt may take
        decision.SetResult(InterventionDecision<string>.Continue());
        var r = await pending;

        // The timeout bounds the call, not the wait for the decision before it.
        Assert.True(r.Success);
        Assert.Equal(1, r.FailedAttempts);
        Assert.Equal(1, handler.Calls);
    }

    private sealed class AsyncHandler(Task<InterventionDecision<string>> decision) : IInterventionHandler
    {
        private readonly TaskCompletionSource _firstCall = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task FirstCall => _firstCall.Task;

        public async ValueTask<InterventionDecision<T>> RequestInterventionAsync<T>(ResilienceSituation context, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            _firstCall.TrySetResult();
            return (InterventionDecision<T>)(object)await decision.WaitAsync(cancellationToken);
        }
    }

    private sealed class Handler(Func<ResilienceSituation, InterventionDecision<string>> decide) : IInterventionHandler
    {
        public int Calls { get; private set; }

        public ResilienceSituation? LastSituation { get; private set; }

        public ValueTask<InterventionDecision<T>> RequestInterventionAsync<T>(ResilienceSituation context, CancellationToken cancellationToken)
        {
            Calls++;
            LastSituation = context;
            return new((InterventionDecision<T>)(object)decide(context));
        }
    }

    private sealed class Solver(Func<ResilienceSituation, Strategy<string>> propose) : ICreativeSolver
    {
        public int Calls { get; private set; }

        public ValueTask<Strategy<T>?> ProposeStrategyAsync<T>(ResilienceSituation context, CancellationToken cancellationToken)
        {
            Calls++;
            return new((Strategy<T>?)(object)propose(context));
        }
    }
}
