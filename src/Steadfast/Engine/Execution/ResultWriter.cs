using System.Globalization;
using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Completes an execution's result: the caller's cancellation wins; otherwise the stop reason, the duration, the error, the
/// learning layer's analysis and the engine's advice (which budget to raise, what to add), plus the execution's metric and log.
/// </summary>
internal sealed class ResultWriter(ExecutionBudget budget, EngineLearning learning, EngineHooks hooks, ResilienceOptions options, TimeProvider time, ILogger logger)
{
    public ResilienceResult<T> Finish<T>(ResilienceResult<T> exec, bool deadlinePassed, CancellationToken cancellationToken)
    {
        ref var ledger = ref exec.Ledger;
        if (ledger.StrategyUsed is not null)
        {
            // The execution ends with its successful attempt; reuse that reading of the clock.
            ledger.Complete(StopReason.Succeeded, ledger.SucceededAt != 0 ? time.GetElapsedTime(ledger.StartTimestamp, ledger.SucceededAt) : budget.Elapsed(exec));
            if (ledger.FailedAttempts > 0)
            {
                var analysis = learning.Analyze(exec.OperationName);
                ledger.Explain(null, analysis, analysis.Recommendations);
            }

            EngineMetrics.Execution(exec.OperationName, StopReason.Succeeded);
            return exec;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var reason = ledger.ForcedStop is { } forced && forced != StopReason.AttemptBudget ? forced
            : deadlinePassed ? StopReason.TimeBudget
            : ledger.ForcedStop ?? (ledger.CostRefused ? StopReason.CostBudget : StopReason.AllStrategiesFailed);
        ledger.Complete(reason, budget.Elapsed(exec));
        var error = ledger.LastError ?? new SteadfastException(string.Create(CultureInfo.InvariantCulture,
            $"Operation '{exec.OperationName}' stopped ({reason}) before any attempt failed; see Attempts for the strategies skipped."));
        var failureAnalysis = learning.Analyze(exec.OperationName);
        ledger.Explain(error, failureAnalysis, Advise(exec, failureAnalysis));
        EngineMetrics.Execution(exec.OperationName, reason);
        Log.EngineExecutionFailed(logger, exec.OperationName, reason, ledger.AttemptCount, ledger.FailedAttempts, ledger.Duration.TotalMilliseconds, ledger.LastError);
        return exec;
    }

    private List<string> Advise<T>(ResilienceResult<T> exec, FailureAnalysis analysis)
    {
        var advice = new List<string>(analysis.Recommendations);
        var o = options;
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
                advice.Add("Stopped by the intervention handler" + (exec.Ledger.InterventionReason is { } r ? ": " + r : "."));
                break;
        }

        if (exec.Ledger.LastError is { } last && !ErrorClassifier.IsTransient(last))
        {
            advice.Add(Format($"The last error ({ErrorClassifier.Classify(last)}: {last.GetType().Name}) is not transient; retrying cannot fix it: correct the request, credentials or address."));
        }

        if (exec.Ledger.Records is { } list && list.Exists(static a => a.Outcome == AttemptOutcome.Skipped && a.SkipReason == SkipReasons.CircuitOpen))
        {
            advice.Add("Some circuits were open; those strategies were skipped and will be tried again after their cooldown (see Attempts[].RetryAfter).");
        }

        if (exec.StopReason == StopReason.AllStrategiesFailed)
        {
            advice.Add(hooks.CreativeSolver is null
                ? "Every strategy failed; add an alternative strategy (another provider, a cache fallback) or register an ICreativeSolver."
                : "Every strategy, including the creative solver's, failed; add an alternative strategy.");
        }

        return advice;

        static string Format(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
