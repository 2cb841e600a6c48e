using System.Globalization;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>Planning, intervention, creative solving, progress and the final result.</summary>
public sealed partial class ResilienceEngine
{
    /// <summary>Ranks the strategies (see <see cref="StrategyRanker"/>) and drops the blacklisted ones, recording them as skipped.</summary>
    private List<Strategy<T>> Plan<T>(ResilienceResult<T> exec, List<Strategy<T>> given)
    {
        var operation = exec.OperationName;
        var scored = new List<(Strategy<T> Strategy, double Score, int Order)>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var s = given[i];
            var stats = _analyzer?.GetStrategyStatistics(s.Name, operation);
            var score = StrategyRanker.Score(s.Priority, stats?.Successes ?? 0, stats?.Failures ?? 0, stats?.MeanLatency ?? TimeSpan.Zero, s.Cost, _options.MaxApiCost);
            scored.Add((s, score, i));
        }

        scored.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
        var plan = new List<Strategy<T>>(scored.Count);
        if (_analyzer is null)
        {
            foreach (var (s, _, _) in scored)
            {
                plan.Add(s);
            }

            return plan;
        }

        var now = _time.GetUtcNow();
        Strategy<T>? soonest = null;
        var soonestExpiry = DateTimeOffset.MaxValue;
        var skipped = new List<(string Name, string Reason, TimeSpan? RetryAfter)>();
        foreach (var (s, _, _) in scored)
        {
            if (_analyzer.GetBlacklistEntry(s.Name, operation) is { } entry)
            {
                var expiry = entry.ExpiresAt ?? DateTimeOffset.MaxValue;
                if (soonest is null || expiry < soonestExpiry)
                {
                    soonest = s;
                    soonestExpiry = expiry;
                }

                skipped.Add((s.Name, SkipReasons.BlacklistedPrefix + entry.Reason, entry.ExpiresAt is { } e ? e - now : null));
            }
            else
            {
                plan.Add(s);
            }
        }

        if (plan.Count == 0)
        {
            // Giving up without trying would break "never give up": the entry closest to lapsing is the best bet.
            plan.Add(soonest!);
            skipped.RemoveAll(x => x.Name == soonest!.Name);
            Log.EngineAllBlacklisted(_logger, operation, soonest!.Name);
        }

        foreach (var (name, reason, retryAfter) in skipped)
        {
            Skip(exec, name, reason, retryAfter);
        }

        return plan;
    }

    /// <summary>Asks the intervention handler; concurrent runners of a race share one request.</summary>
    private async ValueTask<Gate> InterveneAsync<T>(ResilienceResult<T> exec, CancellationToken token)
    {
        var handler = InterventionHandler;
        var p = exec.Details?.Parallel;
        TaskCompletionSource<InterventionAction>? mine = null;
        Task? theirs = null;
        if (p is not null)
        {
            lock (p.Lock)
            {
                if (exec.FailedAttempts < NextInterventionAt(exec))
                {
                    return Gate.Proceed;
                }

                if (p.PendingIntervention is { } pending)
                {
                    theirs = pending;
                }
                else
                {
                    mine = new TaskCompletionSource<InterventionAction>(TaskCreationOptions.RunContinuationsAsynchronously);
                    p.PendingIntervention = mine.Task;
                }
            }
        }

        if (theirs is not null)
        {
            try
            {
                await theirs.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return Gate.Stopped;
            }

            // The runner that asked applies the decision; the others simply re-check the gate.
            return Gate.Proceed;
        }

        InterventionDecision<T> decision;
        if (handler is null)
        {
            Log.EngineInterventionRequired(_logger, exec.OperationName, exec.FailedAttempts);
            decision = InterventionDecision<T>.Stop();
        }
        else
        {
            try
            {
                decision = await handler.RequestInterventionAsync<T>(Situation(exec), token).ConfigureAwait(false)
                    ?? InterventionDecision<T>.Stop("the handler returned no decision");
                decision.Strategy?.Validate();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                decision = InterventionDecision<T>.Stop("cancelled");
            }
#pragma warning disable CA1031 // A failing handler stops the execution; it never throws out of it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.EngineInterventionHandlerFailed(_logger, exec.OperationName, e);
                decision = InterventionDecision<T>.Stop("the intervention handler threw: " + e.Message);
            }

            Log.EngineInterventionDecided(_logger, exec.OperationName, decision.Action, decision.Reason);
        }

        Gate gate;
        if (p is null)
        {
            gate = Apply_NeedsLock(exec, decision, handler is null);
        }
        else
        {
            lock (p.Lock)
            {
                gate = Apply_NeedsLock(exec, decision, handler is null);
                p.PendingIntervention = null;
            }
        }

        if (gate == Gate.Stopped)
        {
            p?.Race.Cancel();
        }

        mine?.SetResult(decision.Action);
        return gate;
    }

    private Gate Apply_NeedsLock<T>(ResilienceResult<T> exec, InterventionDecision<T> decision, bool noHandler)
    {
        exec.D.NextInterventionAt = exec.FailedAttempts + _options.UserInterventionThreshold;
        switch (decision.Action)
        {
            case InterventionAction.Continue:
                return Gate.Proceed;
            case InterventionAction.UseStrategy:
                (exec.D.Injected ??= new Queue<Strategy<T>>()).Enqueue(decision.Strategy!);
                return Gate.Yield;
            default:
                exec.D.ForcedStop = noHandler ? StopReason.InterventionRequired : StopReason.StoppedByIntervention;
                exec.D.InterventionReason = decision.Reason;
                return Gate.Stopped;
        }
    }

    private async ValueTask<Strategy<T>?> AskCreativeSolverAsync<T>(ResilienceResult<T> exec, CancellationToken token)
    {
        var solver = CreativeSolver;
        if (solver is null || !_options.EnableCreativeSolving || !_options.EnableAlternatives || exec.D.CreativeRounds >= ResilienceConstants.MaxCreativeRounds
            || token.IsCancellationRequested || IsStopped(exec))
        {
            return null;
        }

        exec.D.CreativeRounds++;
        try
        {
            var proposed = await solver.ProposeStrategyAsync<T>(Situation(exec), token).ConfigureAwait(false);
            if (proposed is not null)
            {
                proposed.Validate();
                Log.EngineCreativeStrategy(_logger, exec.OperationName, proposed.Name);
            }

            return proposed;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // A failing solver means "no idea", never a thrown execution.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.EngineCreativeSolverFailed(_logger, exec.OperationName, e);
            return null;
        }
    }

    private ResilienceSituation Situation<T>(ResilienceResult<T> exec)
    {
        AttemptRecord[] attempts;
        int failed;
        Exception? last;
        if (exec.Details?.Parallel is { } p)
        {
            lock (p.Lock)
            {
                attempts = exec.Details?.AttemptList?.ToArray() ?? [];
                failed = exec.FailedAttempts;
                last = exec.Details?.LastError;
            }
        }
        else
        {
            attempts = exec.Details?.AttemptList?.ToArray() ?? [];
            failed = exec.FailedAttempts;
            last = exec.Details?.LastError;
        }

        return new ResilienceSituation(exec.OperationName, exec.Context, attempts, failed, last, Analyze(exec.OperationName));
    }

    private FailureAnalysis Analyze(string operation)
    {
        if (_analyzer is null)
        {
            return FailureAnalysis.Empty;
        }

        try
        {
            return _analyzer.AnalyzePattern(operation);
        }
#pragma warning disable CA1031 // Learning trouble never breaks the user's call.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.EngineLearningFailed(_logger, operation, e);
            return FailureAnalysis.Empty;
        }
    }

    /// <summary>Completes the result: the caller's cancellation wins; otherwise the stop reason, analysis and advice.</summary>
    private ResilienceResult<T> Finish<T>(ResilienceResult<T> exec, bool deadlinePassed, CancellationToken cancellationToken)
    {
        if (exec.StrategyUsed is not null)
        {
            // A sequential success ends with its attempt; reuse that reading of the clock.
            exec.Duration = exec.Details?.Parallel is null && exec.Inline.LastEnd != 0
                ? _time.GetElapsedTime(exec.StartTimestamp, exec.Inline.LastEnd)
                : Elapsed(exec);
            exec.StopReason = StopReason.Succeeded;
            if (exec.FailedAttempts > 0)
            {
                exec.D.Analysis = Analyze(exec.OperationName);
                exec.D.Recommendations = exec.Analysis.Recommendations;
            }

            ExecutionsCounter.Add(1, new("operation", exec.OperationName), new("stop_reason", StopReasonNames[(int)StopReason.Succeeded]));
            return exec;
        }

        cancellationToken.ThrowIfCancellationRequested();
        exec.Duration = Elapsed(exec);
        exec.StopReason = exec.Details?.ForcedStop is { } forced && forced != StopReason.AttemptBudget ? forced
            : deadlinePassed ? StopReason.TimeBudget
            : exec.Details?.ForcedStop ?? (exec.Details?.CostRefused == true ? StopReason.CostBudget : StopReason.AllStrategiesFailed);
        exec.D.Error = exec.Details?.LastError ?? new SteadfastException(string.Create(CultureInfo.InvariantCulture,
            $"Operation '{exec.OperationName}' stopped ({exec.StopReason}) before any attempt failed; see Attempts for the strategies skipped."));
        exec.D.Analysis = Analyze(exec.OperationName);
        exec.D.Recommendations = Advise(exec);
        ExecutionsCounter.Add(1, new("operation", exec.OperationName), new("stop_reason", StopReasonNames[(int)exec.StopReason]));
        Log.EngineExecutionFailed(_logger, exec.OperationName, exec.StopReason, exec.AttemptCount, exec.FailedAttempts, exec.Duration.TotalMilliseconds, exec.Details?.LastError);
        return exec;
    }

    private List<string> Advise<T>(ResilienceResult<T> exec)
    {
        var advice = new List<string>(exec.Analysis.Recommendations);
        var o = _options;
        switch (exec.StopReason)
        {
            case StopReason.TimeBudget:
                advice.Add(Format($"The time budget ({o.MaxTotalTime}) ran out; raise MaxTotalTime, or lower StrategyTimeout ({o.StrategyTimeout}) and MaxAttempts ({o.MaxAttempts}) so alternatives get their turn sooner."));
                break;
            case StopReason.CostBudget:
                advice.Add(Format($"Strategies were not tried because they would exceed the cost budget ({o.MaxApiCost}); raise MaxApiCost or add a cheaper strategy (a cache fallback costs nothing)."));
                break;
            case StopReason.AttemptBudget:
                advice.Add(Format($"All {o.MaxTotalAttempts} attempts were used; raise MaxTotalAttempts, or lower MaxAttempts ({o.MaxAttempts}) so more strategies get a turn."));
                break;
            case StopReason.InterventionRequired:
                advice.Add(Format($"{exec.FailedAttempts} attempts failed; a person should look at this. Register an IInterventionHandler to be asked instead of stopping."));
                break;
            case StopReason.StoppedByIntervention:
                advice.Add("Stopped by the intervention handler" + (exec.Details?.InterventionReason is { } r ? ": " + r : "."));
                break;
        }

        if (exec.Details?.LastError is { } last && !ErrorClassifier.IsTransient(last))
        {
            advice.Add(Format($"The last error ({ErrorClassifier.Classify(last)}: {last.GetType().Name}) is not transient; retrying cannot fix it: correct the request, credentials or address."));
        }

        if (exec.Details?.AttemptList is { } list && list.Exists(static a => a.Outcome == AttemptOutcome.Skipped && a.SkipReason == SkipReasons.CircuitOpen))
        {
            advice.Add("Some circuits were open; those strategies were skipped and will be tried again after their cooldown (see Attempts[].RetryAfter).");
        }

        if (exec.StopReason == StopReason.AllStrategiesFailed)
        {
            advice.Add(CreativeSolver is null
                ? "Every strategy failed; add an alternative strategy (another provider, a cache fallback) or register an ICreativeSolver."
                : "Every strategy, including the creative solver's, failed; add an alternative strategy.");
        }

        return advice;

        static string Format(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }

    // ---- progress -----------------------------------------------------------------------------------------------------

    private void RaiseProgress<T>(ResilienceResult<T> exec, ProgressKind kind, string? strategy, int attemptNumber, AttemptOutcome? outcome)
    {
        if (!ProgressOn || Progress is not { } handler)
        {
            return;
        }

        int attempts, failed;
        decimal cost;
        if (exec.Details?.Parallel is { } p)
        {
            lock (p.Lock)
            {
                (attempts, failed, cost) = (exec.AttemptCount, exec.FailedAttempts, exec.Cost);
            }
        }
        else
        {
            (attempts, failed, cost) = (exec.AttemptCount, exec.FailedAttempts, exec.Cost);
        }

        var args = new ResilienceProgressEventArgs(kind, exec.OperationName, strategy, attemptNumber, outcome, attempts, failed, Elapsed(exec), TimeLeft(exec),
            Math.Max(0, _options.MaxTotalAttempts - attempts), cost, Math.Max(0m, _options.MaxApiCost - cost));
        foreach (var d in handler.GetInvocationList())
        {
            try
            {
                ((EventHandler<ResilienceProgressEventArgs>)d)(this, args);
            }
#pragma warning disable CA1031 // Subscribers never break an execution.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.SubscriberFailed(_logger, ResilienceConstants.ProgressEventName, e);
            }
        }
    }

    private ITimer? StartSnapshots<T>(ResilienceResult<T> exec)
    {
        if (!ProgressOn)
        {
            return null;
        }

        var interval = _options.CheckpointInterval;
        return _time.CreateTimer(_ => RaiseProgress(exec, ProgressKind.Snapshot, null, 0, null), null, interval, interval);
    }
}
