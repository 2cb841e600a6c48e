namespace Steadfast;

/// <summary>
/// Races an execution's strategies: up to <see cref="ResilienceOptions.MaxParallelStrategies"/> run at once, each with its own
/// retries; when one fails for good the next-ranked starts in its place, so the race keeps its width. The first success wins;
/// the others are cancelled at once and drained in the background, so nothing they throw goes unobserved.
/// </summary>
internal sealed class ParallelRace(StrategyRunner strategies, ExecutionBudget budget, Escalation escalation, ProgressReporter progress, ResultWriter results,
    AttemptRecorder recorder, TimeProvider time, int width)
{
    public async ValueTask<ResilienceResult<T>> RunAsync<T>(ResilienceResult<T> exec, List<Strategy<T>> plan, CancellationToken cancellationToken)
    {
        // Losers may outlive the result, so the race's sources are not pooled: they are disposed once every runner ended.
        var deadline = new CancellationTokenSource(budget.MaxTotalTime, time);
        var callerLink = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        var race = new Race(cancellation);
        exec.Ledger.JoinRace(race);
        var snapshots = progress.StartSnapshots(exec);
        var running = new List<(Task<(bool Ok, T? Value)> Task, string Name)>(width);
        var index = 0;
        var replacing = false;
        try
        {
            while (true)
            {
                while (running.Count < width && !cancellation.IsCancellationRequested && !exec.Ledger.IsStopped())
                {
                    var next = exec.Ledger.TakeInjected() ?? (index < plan.Count ? plan[index++] : null);
                    if (next is null)
                    {
                        break;
                    }

                    var racer = new Racer(next.Name);
                    lock (race.Lock)
                    {
                        race.Racers.Add(racer);
                    }

                    if (replacing)
                    {
                        progress.Raise(exec, ProgressKind.StrategySwitched, next.Name, 0, null);
                    }

                    running.Add((strategies.RunAsync(exec, StrategySlot<T>.From(next), racer, cancellation.Token).AsTask(), next.Name));
                    if (running[^1].Task is { IsCompletedSuccessfully: true } t && t.Result.Ok)
                    {
                        break; // won synchronously: starting more would only waste them
                    }
                }

                if (running.Count == 0)
                {
                    if (cancellation.IsCancellationRequested || exec.Ledger.IsStopped())
                    {
                        break;
                    }

                    if (budget.InterventionDue(exec) && await escalation.InterveneAsync(exec, cancellation.Token).ConfigureAwait(false) == Gate.Stopped)
                    {
                        break;
                    }

                    if (exec.Ledger.HasInjected)
                    {
                        continue;
                    }

                    if (await escalation.AskCreativeSolverAsync(exec, cancellation.Token).ConfigureAwait(false) is { } proposed)
                    {
                        plan.Add(proposed);
                        continue;
                    }

                    break;
                }

                var tasks = TasksOf(running);
                var done = await Task.WhenAny(tasks).ConfigureAwait(false);
                var at = Array.IndexOf(tasks, done);
                var (task, name) = running[at];
                running.RemoveAt(at);
                var (ok, value) = await task.ConfigureAwait(false);
                if (ok)
                {
                    exec.Ledger.Succeed(value, name);
                    break;
                }

                if (cancellation.IsCancellationRequested)
                {
                    break;
                }

                replacing = true;
            }
        }
        finally
        {
            snapshots?.Dispose();
        }

        // The winner is known (or nothing is left): cancel the losers at once and book their attempts in flight as cancelled.
        if (running.Count > 0)
        {
            cancellation.Cancel();
        }

        var deadlinePassed = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
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

    /// <summary>Waits for the cancelled losers of a race in the background, so their outcomes are observed, then frees the race's sources.</summary>
    private static async Task DrainAsync(Task[] losers, CancellationTokenSource cancellation, CancellationTokenSource deadline, CancellationTokenRegistration callerLink)
    {
        try
        {
            await Task.WhenAll(losers).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Runners catch everything already; this only guarantees the drain itself never faults.
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

    private static Task[] TasksOf<T>(List<(Task<(bool Ok, T? Value)> Task, string Name)> running)
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
