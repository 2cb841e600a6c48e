using System.Globalization;
using Polly;
using Polly.Timeout;

namespace Steadfast;

/// <summary>
/// Makes one attempt of one strategy: admission (budgets, a due intervention, the strategy's circuit), the call bounded by
/// <see cref="ResilienceOptions.StrategyTimeout"/> (Polly's timeout), the circuit's verdict, and the record of how it ended.
/// Whether and when the strategy goes again is the caller's business; the verdict says whether it may.
/// </summary>
internal sealed class AttemptExecutor
{
    /// <summary>Marks, inside the timed call, an attempt the run's token cut (caller, deadline, lost race). Never thrown, never escapes.</summary>
    private static readonly Exception CutByRun = new SteadfastException("Steadfast internal: the attempt was cancelled by its execution.");

    private readonly ExecutionBudget _budget;
    private readonly Escalation _escalation;
    private readonly AttemptRecorder _recorder;
    private readonly ProgressReporter _progress;
    private readonly RateLimitDeferrals _deferrals;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline _timeoutPipeline;

    public AttemptExecutor(ExecutionBudget budget, Escalation escalation, AttemptRecorder recorder, ProgressReporter progress, RateLimitDeferrals deferrals,
        TimeProvider time, TimeSpan strategyTimeout)
    {
        _deferrals = deferrals;
        _budget = budget;
        _escalation = escalation;
        _recorder = recorder;
        _progress = progress;
        _time = time;
        _timeout = strategyTimeout;
        _timeoutPipeline = new ResiliencePipelineBuilder { TimeProvider = time, Name = "Steadfast.Engine" }.AddTimeout(strategyTimeout).Build();
    }

    /// <summary>Makes one attempt of <paramref name="slot"/> within <paramref name="runToken"/>. Never throws: every failure is in the verdict.</summary>
    public async ValueTask<AttemptResult<T>> RunAsync<T>(ResilienceResult<T> exec, StrategySlot<T> slot, IEngineCircuit circuit, Racer? racer, CancellationToken runToken)
    {
        Gate gate;
        TimeSpan? retryAfter;
        CircuitProbe probe;
        while ((gate = Admit(exec, slot, circuit, racer, runToken, out retryAfter, out probe)) == Gate.InterventionDue)
        {
            gate = await _escalation.InterveneAsync(exec, runToken).ConfigureAwait(false);
            if (gate != Gate.Proceed)
            {
                break;
            }
        }

        if (gate != Gate.Proceed)
        {
            return AttemptResult<T>.NotAdmitted(gate, retryAfter);
        }

        // A half-open probe of a circuit whose store bounds the probes of every machine together: the only admission that waits.
        if (!probe.IsNone && await circuit.ConfirmProbeAsync(probe).ConfigureAwait(false) is { } refused)
        {
            return CircuitRefused<T>(exec, slot, racer, refused.RetryAfter);
        }

        racer?.BeginAttempt();

        // The clock is slow to read on some machines; the execution's first attempt starts when the execution does.
        var start = exec.AttemptCount == 1 && racer is null ? exec.Ledger.StartTimestamp : _time.GetTimestamp();
        int number;
        TimeSpan delayBefore;
        {
            ref var run = ref exec.Ledger.RunOf(racer);
            number = run.Attempts; // admission already counted it
            delayBefore = number == 1 ? TimeSpan.Zero : _time.GetElapsedTime(run.LastEnd, start);
        }

        _progress.Raise(exec, ProgressKind.AttemptStarted, slot.Name, number, null);
        var attemptContext = slot.Contextual is null ? null : new AttemptContext(exec.OperationName, slot.Name, number, exec.Ledger.Context);
        var context = ResilienceContextPool.Shared.Get(runToken);
        Outcome<T> outcome;
        try
        {
            outcome = await _timeoutPipeline.ExecuteOutcomeAsync(
                static (ctx, state) => CallAsync(ctx, state),
                context,
                new CallState<T>(slot, attemptContext, exec.OperationName, number, _timeout, runToken)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (racer is not null && !racer.TryEndAttempt())
        {
            // The race's coordinator cut this attempt and booked it when it decided the race (see ParallelRunner.CutLosers):
            // a loser unwinds on a pool thread, later, so it must write nothing the next execution may read.
            return AttemptResult<T>.Cancelled;
        }

        var end = _time.GetTimestamp();
        var timing = new AttemptTiming(number, start, end, _time.GetElapsedTime(start, end), delayBefore);

        // The declared cost was charged when the attempt was admitted; what the attempt reported is added now.
        var reported = attemptContext?.ReportedCost ?? 0m;
        if (outcome.Exception is not { } error)
        {
            circuit.RecordSuccess();

            // Two racers may succeed at the same moment: only the first is the execution's success, the other lost the race.
            return _recorder.Succeeded(exec, racer, slot.Name, timing, slot.Cost, reported)
                ? new AttemptResult<T>(AttemptVerdict.Succeeded, outcome.Result, null)
                : AttemptResult<T>.Cancelled;
        }

        if (ReferenceEquals(error, CutByRun))
        {
            // Cut by the caller or the deadline: not the strategy's fault, so no verdict and no lesson.
            _recorder.Cancelled(exec, racer, slot.Name, timing, slot.Cost, reported);
            circuit.Release();
            return AttemptResult<T>.Cancelled;
        }

        if (ErrorClassifier.Classify(error) == ErrorCategory.RateLimited)
        {
            // A rate limit only defers the strategy, for every execution until its retry-after: the service is up and
            // answering. It never counts against its circuit.
            circuit.Release();
            if (ErrorClassifier.TryGetRetryAfter(error, out var wait))
            {
                _deferrals.Defer(exec.OperationName, slot.Name, wait);
            }
        }
        else
        {
            circuit.RecordFailure(error);
        }

        _recorder.Failed(exec, racer, slot.Name, timing, slot.Cost, reported, error);
        return new AttemptResult<T>(_budget.MayRetry(exec, error) ? AttemptVerdict.FailedMayRetry : AttemptVerdict.FailedForGood, default, error);
    }

    /// <summary>The call itself, inside Polly's timeout. Never throws: the value, the failure, a timeout or a cut becomes the outcome.</summary>
    private static async ValueTask<Outcome<T>> CallAsync<T>(ResilienceContext context, CallState<T> st)
    {
        try
        {
            var value = st.Context is null
                ? await st.Slot.Operation(context.CancellationToken).ConfigureAwait(false)
                : await st.Slot.Contextual!(st.Context, context.CancellationToken).ConfigureAwait(false);
            return Outcome.FromResult(value);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The token the operation saw is the run's token plus the timeout: whichever fired decides what this was.
            return st.RunToken.IsCancellationRequested
                ? Outcome.FromException<T>(CutByRun)
                : Outcome.FromException<T>(new TimeoutRejectedException(
                    string.Create(CultureInfo.InvariantCulture, $"Strategy '{st.Slot.Name}' of '{st.OperationName}' timed out after {st.Timeout.TotalSeconds:0.###} s (attempt {st.Number})."),
                    st.Timeout));
        }
#pragma warning disable CA1031 // The user's failure is data here.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Outcome.FromException<T>(e);
        }
    }

    private Gate Admit<T>(ResilienceResult<T> exec, StrategySlot<T> slot, IEngineCircuit circuit, Racer? racer, CancellationToken runToken, out TimeSpan? retryAfter, out CircuitProbe probe)
    {
        retryAfter = null;
        probe = default;
        if (runToken.IsCancellationRequested)
        {
            return Gate.Stopped;
        }

        Gate gate;
        using (exec.Ledger.Enter())
        {
            gate = _budget.Reserve_NeedsLock(exec, slot.Cost, racer);
        }

        if (gate == Gate.CostRefused)
        {
            _recorder.Skipped(exec, slot.Name, string.Create(CultureInfo.InvariantCulture, $"{SkipReasons.CostBudgetPrefix}{slot.Cost} would exceed the budget left ({_budget.MaxCost - exec.Cost})"), null);
        }

        if (gate != Gate.Proceed)
        {
            return gate;
        }

        if (_deferrals.IsDeferred(exec.OperationName, slot.Name, out var deferred))
        {
            // The service asked for a pause (rate limit): no request until it ends, whatever execution asks.
            using (exec.Ledger.Enter())
            {
                exec.Ledger.Unadmit_NeedsLock(slot.Cost, racer);
            }

            retryAfter = deferred;
            _recorder.Skipped(exec, slot.Name, SkipReasons.RateLimited, retryAfter);
            return Gate.RateLimited;
        }

        if (!circuit.TryAcquire(out retryAfter, out probe))
        {
            using (exec.Ledger.Enter())
            {
                exec.Ledger.Unadmit_NeedsLock(slot.Cost, racer);
            }

            _recorder.Skipped(exec, slot.Name, SkipReasons.CircuitOpen, retryAfter);
            return Gate.CircuitOpen;
        }

        return Gate.Proceed;
    }

    private AttemptResult<T> CircuitRefused<T>(ResilienceResult<T> exec, StrategySlot<T> slot, Racer? racer, TimeSpan? retryAfter)
    {
        using (exec.Ledger.Enter())
        {
            exec.Ledger.Unadmit_NeedsLock(slot.Cost, racer);
        }

        _recorder.Skipped(exec, slot.Name, SkipReasons.CircuitOpen, retryAfter);
        return AttemptResult<T>.NotAdmitted(Gate.CircuitOpen, retryAfter);
    }

    private readonly record struct CallState<T>(StrategySlot<T> Slot, AttemptContext? Context, string OperationName, int Number, TimeSpan Timeout, CancellationToken RunToken);
}
