namespace Steadfast;

/// <summary>
/// The limits of every execution of one engine and the decisions made against them: the deadline
/// (<see cref="ResilienceOptions.MaxTotalTime"/>), attempts per strategy and in all, the cost budget, and the failure counts
/// that escalate an execution or call for an intervention. The counts themselves are in each execution's <see cref="AttemptLedger{T}"/>.
/// </summary>
internal sealed class ExecutionBudget(ResilienceOptions options, TimeProvider time)
{
    private readonly int _maxTotalAttempts = options.MaxTotalAttempts;
    private readonly decimal _maxCost = options.MaxApiCost;
    private readonly int _interventionThreshold = options.UserInterventionThreshold;

    /// <summary>Attempts one strategy may make in one execution, the first included.</summary>
    public int AttemptsPerStrategy { get; } = options.MaxAttempts;

    public TimeSpan MaxTotalTime { get; } = options.MaxTotalTime;

    public int MaxTotalAttempts => _maxTotalAttempts;

    public decimal MaxCost => _maxCost;

    /// <summary>Failed attempts after which an execution is escalated, once.</summary>
    public int EscalateAfterFailures { get; } = options.EscalateAfterFailures;

    public TimeSpan Elapsed<T>(ResilienceResult<T> exec) => time.GetElapsedTime(exec.Ledger.StartTimestamp);

    public TimeSpan TimeLeft<T>(ResilienceResult<T> exec)
    {
        var left = MaxTotalTime - Elapsed(exec);
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }

    /// <summary>The failed-attempt count at which the intervention handler is asked next.</summary>
    public int NextInterventionAt<T>(ResilienceResult<T> exec) => exec.Ledger.NextInterventionAt ?? _interventionThreshold;

    public bool InterventionDue<T>(ResilienceResult<T> exec) => exec.Ledger.FailedAttempts >= NextInterventionAt(exec);

    /// <summary>After an intervention: the next one is due after another <see cref="ResilienceOptions.UserInterventionThreshold"/> failures.</summary>
    public void DeferIntervention_NeedsLock<T>(ResilienceResult<T> exec) =>
        exec.Ledger.SetNextInterventionAt_NeedsLock(exec.Ledger.FailedAttempts + _interventionThreshold);

    /// <summary>Admits an attempt of a strategy costing <paramref name="cost"/> and charges it, or says why not.</summary>
    public Gate Reserve_NeedsLock<T>(ResilienceResult<T> exec, decimal cost, Racer? racer)
    {
        ref var ledger = ref exec.Ledger;
        if (ledger.ForcedStop is not null || ledger.Sealed)
        {
            return Gate.Stopped;
        }

        if (InterventionDue(exec))
        {
            return Gate.InterventionDue;
        }

        if (ledger.AttemptCount >= _maxTotalAttempts)
        {
            ledger.ForceStop_NeedsLock(StopReason.AttemptBudget);
            return Gate.Stopped;
        }

        // Free strategies (most of them) are never refused for cost and skip the decimal arithmetic.
        if (cost != 0m && ledger.Cost + cost > _maxCost)
        {
            ledger.RefuseCost_NeedsLock();
            return Gate.CostRefused;
        }

        // Only a race's finaliser asks which attempts are in flight; a sequential run saves the clock read.
        ledger.Admit_NeedsLock(cost, racer, racer is null ? 0 : time.GetTimestamp());
        return Gate.Proceed;
    }

    /// <summary>Whether the strategy that just failed with <paramref name="error"/> may try again (its own attempt limit aside).</summary>
    public bool MayRetry<T>(ResilienceResult<T> exec, Exception error)
    {
        if (!ErrorClassifier.IsTransient(error))
        {
            return false;
        }

        // No point waiting out a backoff for an attempt the budget will refuse (read without the lock: a hint only). When the
        // strategy would be ready again (backoff, retry-after) against the deadline is the schedule's business.
        return exec.Ledger.AttemptCount < _maxTotalAttempts;
    }
}
