using System.Globalization;
using Polly;
using Polly.Timeout;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>The execution machinery: plans, runs, attempts, budgets, escalation and the result.</summary>
public sealed partial class ResilienceEngine
{

    private enum Gate
    {
        Proceed,
        InterventionDue,
        Stopped,
        CostRefused,
        CircuitOpen,
        Yield,
    }

    // ---- orchestration ------------------------------------------------------------------------------------------------

    private async ValueTask<ResilienceResult<T>> ExecuteSequentialAsync<T>(ResilienceResult<T> exec, Slot<T> first, List<Strategy<T>>? plan, CancellationToken cancellationToken)
    {
        var lease = _deadlines.Rent(_options.MaxTotalTime, cancellationToken);
        var snapshots = StartSnapshots(exec);
        bool deadlinePassed;
        try
        {
            var token = lease.Token;
            var slot = first;
            var index = 0;
            while (true)
            {
                var (ok, value) = await RunStrategyAsync(exec, slot, runner: null, token).ConfigureAwait(false);
                if (ok)
                {
                    exec.Value = value;
                    exec.StrategyUsed = slot.Name;
                    break;
                }

                if (exec.Details?.ForcedStop is not null || token.IsCancellationRequested)
                {
                    break;
                }

                var next = TakeInjected(exec) ?? (plan is not null && index < plan.Count ? plan[index++] : null);
                if (next is null && exec.FailedAttempts >= NextInterventionAt(exec))
                {
                    // Out of strategies with an intervention due: the handler may still supply one.
                    if (await InterveneAsync(exec, token).ConfigureAwait(false) == Gate.Stopped)
                    {
                        break;
                    }

                    next = TakeInjected(exec);
                }

                next ??= await AskCreativeSolverAsync(exec, token).ConfigureAwait(false);
                if (next is null)
                {
                    break;
                }

                slot = Slot<T>.From(next);
                RaiseProgress(exec, ProgressKind.StrategySwitched, slot.Name, 0, null);
            }
        }
        finally
        {
            snapshots?.Dispose();
            deadlinePassed = lease.Source.IsCancellationRequested;
            _deadlines.Return(lease);
        }

        return Finish(exec, deadlinePassed, cancellationToken);
    }

    private async ValueTask<ResilienceResult<T>> ExecuteParallelAsync<T>(ResilienceResult<T> exec, List<Strategy<T>> plan, CancellationToken cancellationToken)
    {
        // Losers may outlive the result, so the race's sources are not pooled: they are disposed once every runner ended.
        var deadline = new CancellationTokenSource(_options.MaxTotalTime, _time);
        var callerLink = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        var race = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        var p = exec.D.Parallel = new ParallelState(race);
        var snapshots = StartSnapshots(exec);
        var width = _options.MaxParallelStrategies;
        var running = new List<(Task<(bool Ok, T? Value)> Task, Runner Runner, string Name)>(width);
        var index = 0;
        var replacing = false;
        try
        {
            while (true)
            {
                while (running.Count < width && !race.IsCancellationRequested && !IsStopped(exec))
                {
                    var next = TakeInjected(exec);
                    next ??= index < plan.Count ? plan[index++] : null;
                    if (next is null)
                    {
                        break;
                    }

                    var runner = new Runner { Name = next.Name };
                    lock (p.Lock)
                    {
                        p.Runners.Add(runner);
                    }

                    if (replacing)
                    {
                        RaiseProgress(exec, ProgressKind.StrategySwitched, next.Name, 0, null);
                    }

                    running.Add((RunStrategyAsync(exec, Slot<T>.From(next), runner, race.Token).AsTask(), runner, next.Name));
                    if (running[^1].Task is { IsCompletedSuccessfully: true } t && t.Result.Ok)
                    {
                        break; // won synchronously: starting more would only waste them
                    }
                }

                if (running.Count == 0)
                {
                    if (race.IsCancellationRequested || IsStopped(exec))
                    {
                        break;
                    }

                    if (exec.FailedAttempts >= NextInterventionAt(exec) && await InterveneAsync(exec, race.Token).ConfigureAwait(false) == Gate.Stopped)
                    {
                        break;
                    }

                    if (exec.Details?.Injected is { Count: > 0 })
                    {
                        continue;
                    }

                    if (await AskCreativeSolverAsync(exec, race.Token).ConfigureAwait(false) is { } proposed)
                    {
                        plan.Add(proposed);
                        continue;
                    }

                    break;
                }

                var tasks = new Task[running.Count];
                for (var i = 0; i < tasks.Length; i++)
                {
                    tasks[i] = running[i].Task;
                }

                var done = await Task.WhenAny(tasks).ConfigureAwait(false);
                var at = Array.IndexOf(tasks, done);
                var (task, _, name) = running[at];
                running.RemoveAt(at);
                var (ok, value) = await task.ConfigureAwait(false);
                if (ok)
                {
                    exec.Value = value;
                    exec.StrategyUsed = name;
                    break;
                }

                if (race.IsCancellationRequested)
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

        // The winner is known (or nothing is left): cancel the losers at once and mark their attempts in flight.
        if (running.Count > 0)
        {
            race.Cancel();
        }

        var deadlinePassed = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        lock (p.Lock)
        {
            var now = _time.GetTimestamp();
            foreach (var r in p.Runners)
            {
                if (r.Scratch.InFlightSince != 0)
                {
                    AddRecord_NeedsLock(exec, new AttemptRecord(r.Name, r.Scratch.Attempt, StartedAtOf(exec, r.Scratch.InFlightSince), _time.GetElapsedTime(r.Scratch.InFlightSince, now), AttemptOutcome.Cancelled)
                    {
                        SkipReason = exec.StrategyUsed is not null ? SkipReasons.LostTheRace : null,
                    });
                    r.Scratch.InFlightSince = 0;
                }
            }

            exec.D.Sealed = true;
        }

        if (running.Count > 0)
        {
            var losers = new Task[running.Count];
            for (var i = 0; i < losers.Length; i++)
            {
                losers[i] = running[i].Task;
            }

            _ = DrainAsync(losers, race, deadline, callerLink);
        }
        else
        {
            callerLink.Dispose();
            race.Dispose();
            deadline.Dispose();
        }

        return Finish(exec, deadlinePassed, cancellationToken);
    }

    /// <summary>Waits for the cancelled losers of a race in the background, so their outcomes are observed, then frees the race's sources.</summary>
    private static async Task DrainAsync(Task[] losers, CancellationTokenSource race, CancellationTokenSource deadline, CancellationTokenRegistration callerLink)
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
            race.Dispose();
            deadline.Dispose();
        }
    }

    /// <summary>Runs one strategy with Polly's retry and timeout; never throws.</summary>
    private async ValueTask<(bool Ok, T? Value)> RunStrategyAsync<T>(ResilienceResult<T> exec, Slot<T> slot, Runner? runner, CancellationToken token)
    {
        var circuit = _circuits.Get(exec.OperationName, slot.Name);
        Scratch(exec, runner) = default;
        var context = ResilienceContextPool.Shared.Get(token);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static (ctx, state) => AttemptAsync(ctx, state),
                context,
                new AttemptState<T>(this, exec, slot, circuit, runner, token)).ConfigureAwait(false);
            if (outcome.Exception is null)
            {
                return (true, outcome.Result);
            }

            if (!ReferenceEquals(outcome.Exception, NoRetry) && outcome.Exception is not OperationCanceledException)
            {
                Scratch(exec, runner).LastError = outcome.Exception;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The deadline, the caller or the race ended a wait between attempts; Finish says which.
        }
#pragma warning disable CA1031 // A run must never throw out of the engine; the failure becomes the result.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Scratch(exec, runner).LastError = e;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        return (false, default);
    }

    private static Strategy<T>? TakeInjected<T>(ResilienceResult<T> exec)
    {
        if (exec.Details?.Parallel is not { } p)
        {
            return exec.Details?.Injected is { Count: > 0 } q ? q.Dequeue() : null;
        }

        lock (p.Lock)
        {
            return exec.Details?.Injected is { Count: > 0 } q ? q.Dequeue() : null;
        }
    }

    private static ref RunScratch Scratch<T>(ResilienceResult<T> exec, Runner? runner) =>
        ref runner is null ? ref exec.Inline : ref runner.Scratch;

    // ---- one attempt --------------------------------------------------------------------------------------------------

    private readonly record struct AttemptState<T>(ResilienceEngine Engine, ResilienceResult<T> Exec, Slot<T> Slot, IEngineCircuit Circuit, Runner? Runner, CancellationToken RunToken);

    /// <summary>One attempt, as Polly's retry calls it. Never throws: every exception becomes an outcome.</summary>
    private static async ValueTask<Polly.Outcome<T>> AttemptAsync<T>(ResilienceContext context, AttemptState<T> st)
    {
        var engine = st.Engine;
        var exec = st.Exec;
        var slot = st.Slot;
        Gate gate;
        while ((gate = engine.BeginAttempt(st)) == Gate.InterventionDue)
        {
            gate = await engine.InterveneAsync(exec, st.RunToken).ConfigureAwait(false);
            if (gate != Gate.Proceed)
            {
                break;
            }
        }

        if (gate != Gate.Proceed)
        {
            Scratch(exec, st.Runner).Stop = gate switch
            {
                Gate.CostRefused => RunStop.CostRefused,
                Gate.CircuitOpen => RunStop.CircuitOpen,
                Gate.Yield => RunStop.Yielded,
                _ => RunStop.ExecutionStopped,
            };
            return Polly.Outcome.FromException<T>(NoRetry);
        }

        var time = engine._time;
        // The clock is slow to read on some machines; the execution's first attempt starts when the execution does.
        var start = exec.AttemptCount == 1 && st.Runner is null ? exec.StartTimestamp : time.GetTimestamp();
        int number;
        TimeSpan delayBefore;
        {
            ref var s = ref Scratch(exec, st.Runner);
            number = s.Attempt; // BeginAttempt already counted it
            delayBefore = number == 1 ? TimeSpan.Zero : time.GetElapsedTime(s.LastEnd, start);
        }

        engine.RaiseProgress(exec, ProgressKind.AttemptStarted, slot.Name, number, null);
        var attemptContext = slot.Contextual is null ? null : new AttemptContext(exec.OperationName, slot.Name, number, exec.Context);
        Exception? error = null;
        T? value = default;
        try
        {
            value = attemptContext is null
                ? await slot.Operation(context.CancellationToken).ConfigureAwait(false)
                : await slot.Contextual!(attemptContext, context.CancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The user's failure is data here.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }

        var end = time.GetTimestamp();
        var duration = time.GetElapsedTime(start, end);
        // The declared cost was charged when the attempt was admitted; what the attempt reported is added now.
        var reported = attemptContext?.ReportedCost ?? 0m;
        if (error is null)
        {
            st.Circuit.RecordSuccess();
            engine.OnSuccess(exec, st.Runner, slot.Name, number, start, end, duration, delayBefore, slot.Cost, reported);
            return Polly.Outcome.FromResult(value!);
        }

        if (error is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            if (st.RunToken.IsCancellationRequested)
            {
                // Cut by the caller, the deadline or a lost race: not the strategy's fault, so no verdict and no lesson.
                st.Circuit.Release();
                engine.OnCancelled(exec, st.Runner, slot.Name, number, start, end, duration, delayBefore, slot.Cost, reported);
                Scratch(exec, st.Runner).Stop = RunStop.Cancelled;
                return Polly.Outcome.FromException<T>(NoRetry);
            }

            error = new TimeoutRejectedException(
                string.Create(CultureInfo.InvariantCulture, $"Strategy '{slot.Name}' of '{exec.OperationName}' timed out after {engine._options.StrategyTimeout.TotalSeconds:0.###} s (attempt {number})."),
                engine._options.StrategyTimeout);
        }

        st.Circuit.RecordFailure(error);
        engine.OnFailure(exec, st.Runner, slot.Name, number, start, end, duration, delayBefore, slot.Cost, reported, error);
        {
            ref var s = ref Scratch(exec, st.Runner);
            s.LastError = error;
            if (!engine.MayRetry(exec, error))
            {
                s.Stop = RunStop.NotRetryable;
                return Polly.Outcome.FromException<T>(NoRetry);
            }
        }

        return Polly.Outcome.FromException<T>(error);
    }

    /// <summary>Whether the strategy that just failed with <paramref name="error"/> may try again.</summary>
    private bool MayRetry<T>(ResilienceResult<T> exec, Exception error)
    {
        if (!ErrorClassifier.IsTransient(error))
        {
            return false;
        }

        // No point waiting out a backoff for an attempt the budgets will refuse (read without the lock: a hint only).
        if (exec.AttemptCount >= _options.MaxTotalAttempts)
        {
            return false;
        }

        // Waiting past the deadline for a retry-after is pointless: the next strategy may answer now.
        return !ErrorClassifier.TryGetRetryAfter(error, out var hint) || hint < TimeLeft(exec);
    }

    private Gate BeginAttempt<T>(in AttemptState<T> st)
    {
        var exec = st.Exec;
        if (st.RunToken.IsCancellationRequested)
        {
            return Gate.Stopped;
        }

        var p = exec.Details?.Parallel;
        Gate gate;
        if (p is null)
        {
            gate = Reserve_NeedsLock(exec, st.Slot.Cost, st.Runner);
        }
        else
        {
            lock (p.Lock)
            {
                gate = Reserve_NeedsLock(exec, st.Slot.Cost, st.Runner);
            }
        }

        if (gate == Gate.CostRefused)
        {
            Skip(exec, st.Slot.Name, string.Create(CultureInfo.InvariantCulture, $"{SkipReasons.CostBudgetPrefix}{st.Slot.Cost} would exceed the budget left ({_options.MaxApiCost - exec.Cost})"), null);
        }

        if (gate != Gate.Proceed)
        {
            return gate;
        }

        if (!st.Circuit.TryAcquire(out var retryAfter))
        {
            if (p is null)
            {
                Unreserve_NeedsLock(exec, st.Slot.Cost, st.Runner);
            }
            else
            {
                lock (p.Lock)
                {
                    Unreserve_NeedsLock(exec, st.Slot.Cost, st.Runner);
                }
            }

            Skip(exec, st.Slot.Name, SkipReasons.CircuitOpen, retryAfter);
            return Gate.CircuitOpen;
        }

        return Gate.Proceed;
    }

    private Gate Reserve_NeedsLock<T>(ResilienceResult<T> exec, decimal cost, Runner? runner)
    {
        if (exec.Details?.ForcedStop is not null || exec.Details?.Sealed == true)
        {
            return Gate.Stopped;
        }

        if (exec.FailedAttempts >= NextInterventionAt(exec))
        {
            return Gate.InterventionDue;
        }

        if (exec.AttemptCount >= _options.MaxTotalAttempts)
        {
            exec.D.ForcedStop = StopReason.AttemptBudget;
            return Gate.Stopped;
        }

        // Free strategies (most of them) skip the decimal arithmetic; they are never refused for cost.
        if (cost != 0m)
        {
            if (exec.Cost + cost > _options.MaxApiCost)
            {
                exec.D.CostRefused = true;
                return Gate.CostRefused;
            }

            exec.Cost += cost;
        }

        exec.AttemptCount++;
        ref var s = ref Scratch(exec, runner);
        s.Attempt++;

        // Only a race's finaliser asks which attempts are in flight; a sequential run saves the clock read.
        if (runner is not null)
        {
            s.InFlightSince = _time.GetTimestamp();
        }

        return Gate.Proceed;
    }

    private static void Unreserve_NeedsLock<T>(ResilienceResult<T> exec, decimal cost, Runner? runner)
    {
        exec.AttemptCount--;
        if (cost != 0m)
        {
            exec.Cost -= cost;
        }

        ref var s = ref Scratch(exec, runner);
        s.Attempt--;
        s.InFlightSince = 0;
    }

    private void OnSuccess<T>(ResilienceResult<T> exec, Runner? runner, string strategy, int number, long start, long end, TimeSpan duration, TimeSpan delayBefore, decimal declared, decimal reported)
    {
        var p = exec.Details?.Parallel;
        if (p is null)
        {
            Scratch(exec, runner).InFlightSince = 0;
            Scratch(exec, runner).LastEnd = end;
            if (reported != 0m)
            {
                exec.Cost += reported;
            }

            // A first-try success keeps no list: the result synthesises its only record when asked.
            exec.Details?.AttemptList?.Add(new AttemptRecord(strategy, number, StartedAtOf(exec, start), duration, AttemptOutcome.Succeeded) { DelayBefore = delayBefore, Cost = declared + reported });
        }
        else
        {
            lock (p.Lock)
            {
                runner!.Scratch.InFlightSince = 0;
                runner.Scratch.LastEnd = end;
                if (exec.Details?.Sealed != true)
                {
                    exec.Cost += reported;
                }

                AddRecord_NeedsLock(exec, new AttemptRecord(strategy, number, StartedAtOf(exec, start), duration, AttemptOutcome.Succeeded) { DelayBefore = delayBefore, Cost = declared + reported });
            }
        }

        AttemptsCounter.Add(1, new("operation", exec.OperationName), new("strategy", strategy), new("outcome", OutcomeNames[(int)AttemptOutcome.Succeeded]));
        if (_analyzer is not null)
        {
            try
            {
                _analyzer.RecordSuccess(exec.OperationName, strategy, duration);
            }
#pragma warning disable CA1031 // Learning trouble never breaks the user's call.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.EngineLearningFailed(_logger, exec.OperationName, e);
            }
        }

        RaiseProgress(exec, ProgressKind.AttemptFinished, strategy, number, AttemptOutcome.Succeeded);
    }

    private void OnCancelled<T>(ResilienceResult<T> exec, Runner? runner, string strategy, int number, long start, long end, TimeSpan duration, TimeSpan delayBefore, decimal declared, decimal reported)
    {
        var record = new AttemptRecord(strategy, number, StartedAtOf(exec, start), duration, AttemptOutcome.Cancelled)
        {
            DelayBefore = delayBefore,
            Cost = declared + reported,
            SkipReason = exec.StrategyUsed is not null ? SkipReasons.LostTheRace : null,
        };
        var p = exec.Details?.Parallel;
        if (p is null)
        {
            Scratch(exec, runner).InFlightSince = 0;
            Scratch(exec, runner).LastEnd = end;
            exec.Cost += reported;
            AddRecord_NeedsLock(exec, record);
        }
        else
        {
            lock (p.Lock)
            {
                // After the result is sealed the finaliser has already written this attempt as cancelled.
                if (runner!.Scratch.InFlightSince != 0)
                {
                    runner.Scratch.InFlightSince = 0;
                    runner.Scratch.LastEnd = end;
                    exec.Cost += reported;
                    AddRecord_NeedsLock(exec, record);
                }
            }
        }

        RaiseProgress(exec, ProgressKind.AttemptFinished, strategy, number, AttemptOutcome.Cancelled);
    }

    private void OnFailure<T>(ResilienceResult<T> exec, Runner? runner, string strategy, int number, long start, long end, TimeSpan duration, TimeSpan delayBefore, decimal declared, decimal reported, Exception error)
    {
        var record = new AttemptRecord(strategy, number, StartedAtOf(exec, start), duration, AttemptOutcome.Failed) { Error = error, DelayBefore = delayBefore, Cost = declared + reported };
        bool escalate;
        int failed;
        var p = exec.Details?.Parallel;
        if (p is null)
        {
            escalate = RecordFailure_NeedsLock(exec, runner, record, end, reported, error, out failed);
        }
        else
        {
            lock (p.Lock)
            {
                escalate = RecordFailure_NeedsLock(exec, runner, record, end, reported, error, out failed);
            }
        }

        var category = ErrorClassifier.Classify(error);
        Log.EngineAttemptFailed(_logger, exec.OperationName, strategy, number, category, error);
        AttemptsCounter.Add(1, new("operation", exec.OperationName), new("strategy", strategy), new("outcome", OutcomeNames[(int)AttemptOutcome.Failed]));
        if (_analyzer is not null)
        {
            try
            {
                _analyzer.RecordFailure(error, exec.OperationName, exec.Context, strategy);
            }
#pragma warning disable CA1031 // Learning trouble never breaks the user's call.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.EngineLearningFailed(_logger, exec.OperationName, e);
            }
        }

        RaiseProgress(exec, ProgressKind.AttemptFinished, strategy, number, AttemptOutcome.Failed);
        if (escalate)
        {
            Log.EngineEscalated(_logger, exec.OperationName, failed, error);
            EscalationsCounter.Add(1, new KeyValuePair<string, object?>("operation", exec.OperationName));
            if (Escalated is { } handler)
            {
                var args = new EscalationEventArgs(Situation(exec));
                foreach (var d in handler.GetInvocationList())
                {
                    try
                    {
                        ((EventHandler<EscalationEventArgs>)d)(this, args);
                    }
#pragma warning disable CA1031 // Subscribers never break an execution.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        Log.SubscriberFailed(_logger, ResilienceConstants.EscalatedEventName, e);
                    }
                }
            }
        }
    }

    private bool RecordFailure_NeedsLock<T>(ResilienceResult<T> exec, Runner? runner, AttemptRecord record, long end, decimal reported, Exception error, out int failed)
    {
        ref var s = ref Scratch(exec, runner);
        s.InFlightSince = 0;
        s.LastEnd = end;
        if (exec.Details?.Sealed != true)
        {
            AddRecord_NeedsLock(exec, record);
            exec.FailedAttempts++;
            exec.D.LastError = error;
            exec.Cost += reported;
        }

        failed = exec.FailedAttempts;
        if (exec.Details?.Escalated != true && exec.FailedAttempts >= _options.EscalateAfterFailures)
        {
            exec.D.Escalated = true;
            return true;
        }

        return false;
    }

    private static void AddRecord_NeedsLock<T>(ResilienceResult<T> exec, AttemptRecord record)
    {
        if (exec.Details?.Sealed != true)
        {
            (exec.D.AttemptList ??= []).Add(record);
        }
    }

    private DateTimeOffset StartedAtOf<T>(ResilienceResult<T> exec, long timestamp) =>
        exec.StartedAt + _time.GetElapsedTime(exec.StartTimestamp, timestamp);

    private void Skip<T>(ResilienceResult<T> exec, string strategy, string reason, TimeSpan? retryAfter)
    {
        var record = new AttemptRecord(strategy, 0, _time.GetUtcNow(), TimeSpan.Zero, AttemptOutcome.Skipped) { SkipReason = reason, RetryAfter = retryAfter };
        var p = exec.Details?.Parallel;
        if (p is null)
        {
            AddRecord_NeedsLock(exec, record);
        }
        else
        {
            lock (p.Lock)
            {
                AddRecord_NeedsLock(exec, record);
            }
        }

        Log.EngineStrategySkipped(_logger, exec.OperationName, strategy, reason);
        AttemptsCounter.Add(1, new("operation", exec.OperationName), new("strategy", strategy), new("outcome", OutcomeNames[(int)AttemptOutcome.Skipped]));
    }

    private static bool IsStopped<T>(ResilienceResult<T> exec)
    {
        if (exec.Details?.Parallel is not { } p)
        {
            return exec.Details?.ForcedStop is not null;
        }

        lock (p.Lock)
        {
            return exec.Details?.ForcedStop is not null;
        }
    }
}
