namespace Steadfast;

/// <summary>
/// Runs an execution one attempt at a time on one schedule across its strategies (<see cref="ExecutionSchedule{T}"/>): always
/// the best-ranked strategy that is ready now, never waiting for one strategy's backoff while another is ready; when none is
/// ready, waiting for the earliest that will be ready before the deadline, and stopping at once when none will be. When the
/// strategies are spent, an intervention's strategy and then the creative solver's may still come.
/// </summary>
/// <remarks>
/// The first attempt of the best strategy runs before any schedule exists, so a first-try success allocates only the result.
/// With one strategy this is plain retry with backoff.
/// </remarks>
internal sealed class SequentialRunner(AttemptExecutor executor, ScheduleContext schedules, ExecutionBudget budget, Escalation escalation,
    ProgressReporter progress, ResultWriter results, DeadlinePool deadlines)
{
    public async ValueTask<ResilienceResult<T>> RunAsync<T>(ResilienceResult<T> exec, StrategySlot<T>? first, List<PlannedStrategy<T>>? plan,
        CancellationToken cancellationToken)
    {
        schedules.RetryBudget.RecordCall(exec.OperationName);
        var lease = deadlines.Rent(budget.MaxTotalTime, cancellationToken);
        var snapshots = progress.StartSnapshots(exec);
        bool deadlinePassed;
        try
        {
            var token = lease.Token;
            if (first is not { } slot)
            {
                await RunScheduleAsync(exec, null, default, plan, token).ConfigureAwait(false);
            }
            else
            {
                var circuit = schedules.Circuits.Get(exec.OperationName, slot.Name);
                var result = await executor.RunAsync(exec, slot, circuit, racer: null, token).ConfigureAwait(false);
                if (result.Verdict == AttemptVerdict.Succeeded)
                {
                    exec.Ledger.Succeed(result.Value, slot.Name);
                }
                else if (!Stops(exec, result, token))
                {
                    await RunScheduleAsync(exec, slot, result, plan, token).ConfigureAwait(false);
                }
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

    /// <summary>Whether the execution is over whatever the schedule holds: cut, stopped by a budget or an intervention.</summary>
    private static bool Stops<T>(ResilienceResult<T> exec, in AttemptResult<T> result, CancellationToken token)
        => token.IsCancellationRequested
           || result.Verdict == AttemptVerdict.Cancelled
           || (result.Verdict == AttemptVerdict.NotAdmitted && result.Gate == Gate.Stopped)
           || exec.Ledger.ForcedStop is not null;

    private async ValueTask RunScheduleAsync<T>(ResilienceResult<T> exec, StrategySlot<T>? first, AttemptResult<T> firstResult,
        List<PlannedStrategy<T>>? plan, CancellationToken token)
    {
        var time = schedules.Time;
        var schedule = new ExecutionSchedule<T>(schedules, exec, schedules.After(exec.Ledger.StartTimestamp, budget.MaxTotalTime));
        string? running = null;
        if (first is { } slot)
        {
            var entry = schedule.Add(slot);
            entry.Run = exec.Ledger.RunOf(null); // the first attempt, made before the schedule existed
            schedule.Settle(entry, firstResult, time.GetTimestamp());
            running = slot.Name;
        }

        foreach (var planned in plan ?? [])
        {
            if (first is null || !string.Equals(planned.Strategy.Name, first.Value.Name, StringComparison.Ordinal))
            {
                schedule.Add(StrategySlot<T>.From(planned.Strategy), blacklisted: planned.Blacklisted);
            }
        }

        try
        {
            while (!token.IsCancellationRequested && exec.Ledger.ForcedStop is null)
            {
                while (exec.Ledger.TakeInjected() is { } injected)
                {
                    schedule.Add(StrategySlot<T>.From(injected), injected: true);
                }

                if (schedule.TakeReady(time.GetTimestamp()) is { } entry)
                {
                    if (!string.Equals(entry.Name, running, StringComparison.Ordinal))
                    {
                        progress.Raise(exec, ProgressKind.StrategySwitched, entry.Name, 0, null);
                        running = entry.Name;
                    }

                    var result = await executor.RunAsync(exec, entry.Slot, entry.Circuit, entry, token).ConfigureAwait(false);
                    if (result.Verdict == AttemptVerdict.Succeeded)
                    {
                        exec.Ledger.Succeed(result.Value, entry.Name);
                        return;
                    }

                    if (Stops(exec, result, token))
                    {
                        return;
                    }

                    schedule.Settle(entry, result, time.GetTimestamp());
                    continue;
                }

                if (schedule.EarliestReadyAt() is { } earliest)
                {
                    // Nothing is ready now, something will be before the deadline: wait for exactly that.
                    await Task.Delay(schedules.Until(earliest), time, token).ConfigureAwait(false);
                    continue;
                }

                if (!await TryMoreAsync(exec, schedule, token).ConfigureAwait(false))
                {
                    if (schedule.DeferredPastDeadline && exec.Ledger.ForcedStop is null)
                    {
                        // What is left would be ready only after the deadline: stop now rather than sleep into it.
                        exec.Ledger.ForceStop_NeedsLock(StopReason.TimeBudget);
                    }

                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The deadline or the caller ended a wait; the result says which.
        }
    }

    /// <summary>The given strategies are spent: a due intervention, then the creative solver, may still supply one.</summary>
    private async ValueTask<bool> TryMoreAsync<T>(ResilienceResult<T> exec, ExecutionSchedule<T> schedule, CancellationToken token)
    {
        if (budget.InterventionDue(exec))
        {
            if (await escalation.InterveneAsync(exec, token).ConfigureAwait(false) == Gate.Stopped)
            {
                return false;
            }

            if (exec.Ledger.HasInjected)
            {
                return true;
            }
        }

        if (await escalation.AskCreativeSolverAsync(exec, token).ConfigureAwait(false) is { } proposed)
        {
            schedule.Add(StrategySlot<T>.From(proposed));
            return true;
        }

        return false;
    }
}
