namespace Steadfast;

/// <summary>
/// Runs an execution's strategies one after another in rank order, each to the end of its retries, until one succeeds or
/// none is left. An intervention's strategy goes next; when the plan is exhausted, a due intervention and then the
/// creative solver may still supply one. The whole execution runs under one deadline (<see cref="ResilienceOptions.MaxTotalTime"/>).
/// </summary>
internal sealed class SequentialRunner(StrategyRunner strategies, ExecutionBudget budget, Escalation escalation, ProgressReporter progress, ResultWriter results, DeadlinePool deadlines)
{
    public async ValueTask<ResilienceResult<T>> RunAsync<T>(ResilienceResult<T> exec, StrategySlot<T> first, List<Strategy<T>>? plan, CancellationToken cancellationToken)
    {
        var lease = deadlines.Rent(budget.MaxTotalTime, cancellationToken);
        var snapshots = progress.StartSnapshots(exec);
        bool deadlinePassed;
        try
        {
            var token = lease.Token;
            var slot = first;
            var index = 0;
            while (true)
            {
                var (ok, value) = await strategies.RunAsync(exec, slot, racer: null, token).ConfigureAwait(false);
                if (ok)
                {
                    exec.Ledger.Succeed(value, slot.Name);
                    break;
                }

                if (exec.Ledger.ForcedStop is not null || token.IsCancellationRequested)
                {
                    break;
                }

                var next = exec.Ledger.TakeInjected() ?? (plan is not null && index < plan.Count ? plan[index++] : null);
                if (next is null && budget.InterventionDue(exec))
                {
                    // Out of strategies with an intervention due: the handler may still supply one.
                    if (await escalation.InterveneAsync(exec, token).ConfigureAwait(false) == Gate.Stopped)
                    {
                        break;
                    }

                    next = exec.Ledger.TakeInjected();
                }

                next ??= await escalation.AskCreativeSolverAsync(exec, token).ConfigureAwait(false);
                if (next is null)
                {
                    break;
                }

                slot = StrategySlot<T>.From(next);
                progress.Raise(exec, ProgressKind.StrategySwitched, slot.Name, 0, null);
            }

            deadlinePassed = lease.Source.IsCancellationRequested;
        }
        finally
        {
            snapshots?.Dispose();
            deadlines.Return(lease);
        }

        return results.Finish(exec, deadlinePassed, cancellationToken);
    }
}
