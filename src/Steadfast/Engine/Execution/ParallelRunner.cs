using System.Globalization;
using Polly.Timeout;

namespace Steadfast;

/// <summary>
/// Runs an execution with several strategies in flight, on the same schedule as the sequential runner
/// (<see cref="ExecutionSchedule{T}"/>): a <b>race</b> starts up to <see cref="ResilienceOptions.MaxParallelStrategies"/> at once;
/// a <b>hedge</b> starts the best-ranked one and the next only when no answer came within the hedge delay (or at once when one
/// failed). A lane freed by a failure takes the best strategy ready then. The first success wins; the others are cancelled at
/// once and drained in the background, so nothing they throw goes unobserved.
/// </summary>
internal sealed class ParallelRunner(AttemptExecutor executor, ScheduleContext schedules, ExecutionBudget budget, Escalation escalation,
    ProgressReporter progress, ResultWriter results, AttemptRecorder recorder, HedgeDelays hedging, int width)
{
    public async ValueTask<ResilienceResult<T>> RunAsync<T>(ResilienceResult<T> exec, List<PlannedStrategy<T>> plan, bool hedged,
        CancellationToken cancellationToken)
    {
        schedules.RetryBudget.RecordCall(exec.OperationName);
        var time = schedules.Time;

        // Losers may outlive the result, so the race's sources are not pooled: they are disposed once every attempt ended.
        var deadline = new CancellationTokenSource(budget.MaxTotalTime, time);
        var callerLink = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        var race = new Race(cancellation);
        exec.Ledger.JoinRace(race);
        var schedule = new ExecutionSchedule<T>(schedules, exec, schedules.After(exec.Ledger.StartTimestamp, budget.MaxTotalTime));
        foreach (var planned in plan)
        {
            schedule.Add(StrategySlot<T>.From(planned.Strategy), blacklisted: planned.Blacklisted);
        }

        var snapshots = progress.StartSnapshots(exec);
        var running = new List<(Task<AttemptResult<T>> Task, StrategyEntry<T> Entry)>(width);
        var lanes = hedged ? 1 : width;
        var hedgeDelay = TimeSpan.Zero;
        long lastStart = 0;
        var started = 0;
        try
        {
            while (true)
            {
                while (running.Count < lanes && !cancellation.IsCancellationRequested && !exec.Ledger.IsStopped())
                {
                    while (exec.Ledger.TakeInjected() is { } injected)
                    {
                        schedule.Add(StrategySlot<T>.From(injected), injected: true);
                    }

                    if (schedule.TakeReady(time.GetTimestamp()) is not { } entry)
                    {
                        break;
                    }

                    // The hedge delay is the leader's: whichever strategy starts with nothing else in flight. (Fixed by the first
                    // strategy of the plan, a leader refused at admission — rate-limit deferral, open circuit — left its short
                    // delay to the slower strategy that took its place, which was then hedged on nearly every call.)
                    // The hedge delay is the leader's: whichever strategy starts with nothing else in flight. (Fixed by the first
                    // strategy started, a leader refused at admission — a rate-limit deferral — left its short delay to the
                    // slower strategy that took its place, which was then hedged on nearly every call.)
                    if (hedged && running.Count == 0)
                    {
                        hedgeDelay = hedging.DelayFor(exec.OperationName, entry.Name);
                    }

                    Start(exec, race, running, entry, started++ > 0, cancellation.Token);
                    lastStart = time.GetTimestamp();
                    if (running[^1].Task is { IsCompletedSuccessfully: true } t && t.Result.Verdict == AttemptVerdict.Succeeded)
                    {
                        break; // won synchronously: starting more would only waste them
                    }
                }

                if (running.Count == 0)
                {
                    if (!await WaitForMoreAsync(exec, schedule, cancellation.Token).ConfigureAwait(false))
                    {
                        break;
                    }

                    continue;
                }

                // Wake when an attempt ends, when a strategy becomes ready for a free lane, or when the hedge delay passed.
                var wakeAt = running.Count < lanes ? schedule.EarliestReadyAt() : null;
                if (hedged && lanes < width && running.Count == lanes)
                {
                    var hedgeAt = schedules.After(lastStart, hedgeDelay);
                    wakeAt = wakeAt is { } w && w < hedgeAt ? w : hedgeAt;
                }

                var ended = await NextEndedAsync(running, wakeAt, cancellation.Token).ConfigureAwait(false);
                if (ended < 0)
                {
                    if (hedged && lanes < width && time.GetTimestamp() >= schedules.After(lastStart, hedgeDelay))
                    {
                        lanes++; // no answer within the hedge delay: one more strategy may start
                    }

                    continue;
                }

                var (task, done) = running[ended];
                running.RemoveAt(ended);
                var result = await task.ConfigureAwait(false);
                if (result.Verdict == AttemptVerdict.Succeeded)
                {
                    exec.Ledger.Succeed(result.Value, done.Name);
                    break;
                }

                if (cancellation.IsCancellationRequested || (result.Verdict == AttemptVerdict.NotAdmitted && result.Gate == Gate.Stopped))
                {
                    break;
                }

                schedule.Settle(done, result, time.GetTimestamp());
            }
        }
        finally
        {
            snapshots?.Dispose();
        }

        // The winner is known (or nothing is left): book the losers' attempts in flight, then cancel them at once.
        if (running.Count > 0)
        {
            CutLosers(exec, running);
            cancellation.Cancel();
        }

        var deadlinePassed = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        if (!deadlinePassed && exec.Ledger.StrategyUsed is null && schedule.DeferredPastDeadline)
        {
            using (exec.Ledger.Enter())
            {
                exec.Ledger.ForceStop_NeedsLock(StopReason.TimeBudget);
            }
        }

        Seal(exec, race);
        if (running.Count > 0)
        {
            _ = DrainAsync(TasksOf(running), cancellation, deadline, callerLink);
        }
        else
        {
            callerLink.Dispose();
            cancellation.Dispose();
            deadline.Dispose();
        }

        return results.Finish(exec, deadlinePassed, cancellationToken);
    }

    private void Start<T>(ResilienceResult<T> exec, Race race, List<(Task<AttemptResult<T>> Task, StrategyEntry<T> Entry)> running,
        StrategyEntry<T> entry, bool replacing, CancellationToken token)
    {
        entry.InFlight = true;
        lock (race.Lock)
        {
            if (!race.Racers.Contains(entry))
            {
                race.Racers.Add(entry);
            }
        }

        if (replacing)
        {
            progress.Raise(exec, ProgressKind.StrategySwitched, entry.Name, 0, null);
        }

        running.Add((executor.RunAsync(exec, entry.Slot, entry.Circuit, entry, token).AsTask(), entry));
    }

    /// <summary>
    /// Books every attempt still in flight as cut, here and now, before they are cancelled: its circuit permit is given back,
    /// or, when another strategy answered after this one had run past its usual latency (<see cref="HedgeDelays.SlowAfter"/>),
    /// it is a timeout for learning and its circuit (in the result it lost the race), or else a black-holed provider that
    /// always loses would never be found out.
    /// </summary>
    /// <remarks>
    /// Booking at the decision rather than when each loser unwinds matters twice. A cancelled loser resumes on a pool thread
    /// some time later, so what it wrote would reach the next execution's ranking and circuit admission sooner or later by
    /// chance; and in virtual time (the demo) the same seed must give the same run. The attempt's reported cost, if it had
    /// reported any yet, is not counted: its declared cost was charged when it was admitted.
    /// </remarks>
    private void CutLosers<T>(ResilienceResult<T> exec, List<(Task<AttemptResult<T>> Task, StrategyEntry<T> Entry)> running)
    {
        var time = schedules.Time;
        var now = time.GetTimestamp();
        foreach (var (_, entry) in running)
        {
            long since;
            AttemptTiming timing;
            using (exec.Ledger.Enter())
            {
                ref var run = ref entry.Run;
                since = run.InFlightSince;
                timing = new AttemptTiming(run.Attempts, since, now, time.GetElapsedTime(since, now),
                    run.Attempts > 1 && run.LastEnd != 0 ? time.GetElapsedTime(run.LastEnd, since) : TimeSpan.Zero);
            }

            // A blacklisted strategy's recovery probe cut with no verdict is given back, so the next execution probes again
            // rather than waiting out the claim's lease (one probe interval): a recovered provider that lost a hedge to a slower
            // leader would otherwise stay blacklisted for another interval. A verdict booked meanwhile already ended the claim.
            var wasProbe = entry.Probing;
            entry.Probing = false;
            if (since == 0 || !entry.TryEndAttempt())
            {
                GiveBackProbe(exec, entry, wasProbe); // not admitted yet, or it ended and books itself
                continue;
            }

            // Judged against the estimate as it stood, then kept as a lower bound of the strategy's latency.
            var unansweredInTime = exec.Ledger.HasWinner && timing.Duration > hedging.SlowAfter(exec.OperationName, entry.Name);
            hedging.RecordCut(exec.OperationName, entry.Name, timing.Duration);
            if (unansweredInTime)
            {
                var unanswered = new TimeoutRejectedException(
                    string.Create(CultureInfo.InvariantCulture, $"Strategy '{entry.Name}' of '{exec.OperationName}' gave no answer in {timing.Duration.TotalMilliseconds:0} ms while another strategy answered (attempt {timing.Number})."),
                    timing.Duration);
                recorder.Unanswered(exec, entry, entry.Name, timing, entry.Slot.Cost, 0m, unanswered);
                entry.Circuit.RecordFailure(unanswered);
            }
            else
            {
                recorder.Cancelled(exec, entry, entry.Name, timing, entry.Slot.Cost, 0m);
                entry.Circuit.Release();
                GiveBackProbe(exec, entry, wasProbe);
            }
        }
    }

    private void GiveBackProbe<T>(ResilienceResult<T> exec, StrategyEntry<T> entry, bool wasProbe)
    {
        if (wasProbe)
        {
            schedules.Learning.CancelProbe(entry.Name, exec.OperationName, null);
        }
    }

    /// <summary>Nothing in flight: waits for the earliest ready strategy, or asks for more; false when the execution is over.</summary>
    private async ValueTask<bool> WaitForMoreAsync<T>(ResilienceResult<T> exec, ExecutionSchedule<T> schedule, CancellationToken token)
    {
        if (token.IsCancellationRequested || exec.Ledger.IsStopped())
        {
            return false;
        }

        if (schedule.EarliestReadyAt() is { } earliest)
        {
            try
            {
                await Task.Delay(schedules.Until(earliest), schedules.Time, token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return false;
            }
        }

        if (budget.InterventionDue(exec) && await escalation.InterveneAsync(exec, token).ConfigureAwait(false) == Gate.Stopped)
        {
            return false;
        }

        if (exec.Ledger.HasInjected)
        {
            return true;
        }

        if (await escalation.AskCreativeSolverAsync(exec, token).ConfigureAwait(false) is { } proposed)
        {
            schedule.Add(StrategySlot<T>.From(proposed));
            return true;
        }

        return false;
    }

    /// <summary>The index of an attempt that ended, or -1 when <paramref name="wakeAt"/> came first.</summary>
    private async ValueTask<int> NextEndedAsync<T>(List<(Task<AttemptResult<T>> Task, StrategyEntry<T> Entry)> running, long? wakeAt, CancellationToken token)
    {
        var tasks = TasksOf(running);
        if (wakeAt is not { } at)
        {
            return Array.IndexOf(tasks, await Task.WhenAny(tasks).ConfigureAwait(false));
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(token);
        var delay = Task.Delay(schedules.Until(at), schedules.Time, wake.Token);
        var ended = await Task.WhenAny([.. tasks, delay]).ConfigureAwait(false);
        wake.Cancel(); // stops the timer; a cancelled delay is not an unobserved failure
        return ReferenceEquals(ended, delay) ? -1 : Array.IndexOf(tasks, ended);
    }

    /// <summary>Waits for the cancelled losers in the background, so their outcomes are observed, then frees the race's sources.</summary>
    private static async Task DrainAsync(Task[] losers, CancellationTokenSource cancellation, CancellationTokenSource deadline, CancellationTokenRegistration callerLink)
    {
        try
        {
            await Task.WhenAll(losers).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Attempts catch everything already; this only guarantees the drain itself never faults.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            await callerLink.DisposeAsync().ConfigureAwait(false);
            cancellation.Dispose();
            deadline.Dispose();
        }
    }

    private static Task[] TasksOf<T>(List<(Task<AttemptResult<T>> Task, StrategyEntry<T> Entry)> running)
    {
        var tasks = new Task[running.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = running[i].Task;
        }

        return tasks;
    }

    /// <summary>Books every attempt still in flight as cancelled (lost the race, when there is a winner) and closes the books.</summary>
    private void Seal<T>(ResilienceResult<T> exec, Race race)
    {
        var time = schedules.Time;
        lock (race.Lock)
        {
            var now = time.GetTimestamp();
            foreach (var racer in race.Racers)
            {
                ref var run = ref racer.Run;
                if (run.InFlightSince != 0)
                {
                    exec.Ledger.AddRecord_NeedsLock(new AttemptRecord(racer.Name, run.Attempts, recorder.StartedAtOf(exec, run.InFlightSince), time.GetElapsedTime(run.InFlightSince, now), AttemptOutcome.Cancelled)
                    {
                        SkipReason = exec.StrategyUsed is not null ? SkipReasons.LostTheRace : null,
                    });
                    run.InFlightSince = 0;
                }
            }

            exec.Ledger.Seal_NeedsLock();
        }
    }
}
