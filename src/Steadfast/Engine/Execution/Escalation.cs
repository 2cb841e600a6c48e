using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// What the engine does when an execution goes badly: raises <see cref="ResilienceEngine.Escalated"/> once, asks the
/// <see cref="IInterventionHandler"/> (racers share one request), and asks the <see cref="ICreativeSolver"/> for a new strategy.
/// </summary>
internal sealed class Escalation(EngineHooks hooks, EngineLearning learning, ExecutionBudget budget, ResilienceOptions options, OperatingConditions conditions, ILogger logger)
{
    private readonly bool _creativeSolving = options.EnableCreativeSolving && options.EnableAlternatives;

    /// <summary>Logs, counts and raises the escalation of an execution that reached <see cref="ResilienceOptions.EscalateAfterFailures"/> failures.</summary>
    public void Escalate<T>(ResilienceResult<T> exec, int failedAttempts, Exception lastError)
    {
        Log.EngineEscalated(logger, exec.OperationName, failedAttempts, lastError);
        EngineMetrics.Escalation(exec.OperationName);
        if (hooks.HasEscalatedSubscribers)
        {
            hooks.RaiseEscalated(new EscalationEventArgs(Situation(exec)));
        }
    }

    /// <summary>Asks the intervention handler and applies its decision; concurrent racers share one request.</summary>
    public async ValueTask<Gate> InterveneAsync<T>(ResilienceResult<T> exec, CancellationToken token)
    {
        var handler = hooks.InterventionHandler;
        var race = exec.Ledger.Race;
        TaskCompletionSource<InterventionAction>? mine = null;
        Task? theirs = null;
        if (race is not null)
        {
            lock (race.Lock)
            {
                if (!budget.InterventionDue(exec))
                {
                    return Gate.Proceed;
                }

                if (race.PendingIntervention is { } pending)
                {
                    theirs = pending;
                }
                else
                {
                    mine = new TaskCompletionSource<InterventionAction>(TaskCreationOptions.RunContinuationsAsynchronously);
                    race.PendingIntervention = mine.Task;
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

            // The racer that asked applies the decision; the others simply re-check the gate.
            return Gate.Proceed;
        }

        var decision = await DecideAsync(exec, handler, token).ConfigureAwait(false);
        Gate gate;
        using (exec.Ledger.Enter())
        {
            gate = Apply_NeedsLock(exec, decision, noHandler: handler is null);
            if (race is not null)
            {
                race.PendingIntervention = null;
            }
        }

        if (gate == Gate.Stopped)
        {
            race?.Cancellation.Cancel();
        }

        mine?.SetResult(decision.Action);
        return gate;
    }

    /// <summary>Asks the creative solver for one more strategy, at most <see cref="ResilienceConstants.MaxCreativeRounds"/> times per execution.</summary>
    public async ValueTask<Strategy<T>?> AskCreativeSolverAsync<T>(ResilienceResult<T> exec, CancellationToken token)
    {
        var solver = hooks.CreativeSolver;
        if (solver is null || !_creativeSolving || !conditions.AllowsCreativeSolving || exec.Ledger.CreativeRounds >= ResilienceConstants.MaxCreativeRounds
            || token.IsCancellationRequested || exec.Ledger.IsStopped())
        {
            return null;
        }

        exec.Ledger.CountCreativeRound();
        try
        {
            var proposed = await solver.ProposeStrategyAsync<T>(Situation(exec), token).ConfigureAwait(false);
            if (proposed is not null)
            {
                proposed.Validate();
                Log.EngineCreativeStrategy(logger, exec.OperationName, proposed.Name);
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
            Log.EngineCreativeSolverFailed(logger, exec.OperationName, e);
            return null;
        }
    }

    /// <summary>What the handlers and subscribers are shown: the attempts so far, the failures and the learning layer's analysis.</summary>
    public ResilienceSituation Situation<T>(ResilienceResult<T> exec)
    {
        var (attempts, failed, last) = exec.Ledger.SnapshotForSituation();
        return new ResilienceSituation(exec.OperationName, exec.Ledger.Context, attempts, failed, last, learning.Analyze(exec.OperationName));
    }

    private async ValueTask<InterventionDecision<T>> DecideAsync<T>(ResilienceResult<T> exec, IInterventionHandler? handler, CancellationToken token)
    {
        if (handler is null)
        {
            Log.EngineInterventionRequired(logger, exec.OperationName, exec.FailedAttempts);
            return InterventionDecision<T>.Stop();
        }

        InterventionDecision<T> decision;
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
            Log.EngineInterventionHandlerFailed(logger, exec.OperationName, e);
            decision = InterventionDecision<T>.Stop("the intervention handler threw: " + e.Message);
        }

        Log.EngineInterventionDecided(logger, exec.OperationName, decision.Action, decision.Reason);
        return decision;
    }

    private Gate Apply_NeedsLock<T>(ResilienceResult<T> exec, InterventionDecision<T> decision, bool noHandler)
    {
        budget.DeferIntervention_NeedsLock(exec);
        switch (decision.Action)
        {
            case InterventionAction.Continue:
                return Gate.Proceed;
            case InterventionAction.UseStrategy:
                exec.Ledger.Inject_NeedsLock(decision.Strategy!);
                return Gate.Yield;
            default:
                exec.Ledger.ForceStop_NeedsLock(noHandler ? StopReason.InterventionRequired : StopReason.StoppedByIntervention, decision.Reason);
                return Gate.Stopped;
        }
    }
}
