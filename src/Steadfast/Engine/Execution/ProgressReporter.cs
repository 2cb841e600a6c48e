namespace Steadfast;

/// <summary>
/// Raises <see cref="ResilienceEngine.Progress"/> as attempts start and finish and strategies switch, and as periodic snapshots,
/// when <see cref="ResilienceOptions.EnableProgressTracking"/> is on and someone subscribed. Each event carries the budgets left.
/// </summary>
internal sealed class ProgressReporter(EngineHooks hooks, ExecutionBudget budget, ResilienceOptions options, TimeProvider time)
{
    private readonly bool _enabled = options.EnableProgressTracking;
    private readonly TimeSpan _interval = options.CheckpointInterval;

    private bool On => _enabled && hooks.HasProgressSubscribers;

    public void Raise<T>(ResilienceResult<T> exec, ProgressKind kind, string? strategy, int attemptNumber, AttemptOutcome? outcome)
    {
        if (!On)
        {
            return;
        }

        var (attempts, failed, cost) = exec.Ledger.SnapshotCounts();
        hooks.RaiseProgress(new ResilienceProgressEventArgs(kind, exec.OperationName, strategy, attemptNumber, outcome, attempts, failed,
            budget.Elapsed(exec), budget.TimeLeft(exec), Math.Max(0, budget.MaxTotalAttempts - attempts), cost, Math.Max(0m, budget.MaxCost - cost)));
    }

    /// <summary>Starts the periodic snapshots of one execution; dispose the timer when it ends. <see langword="null"/> when nobody listens.</summary>
    public ITimer? StartSnapshots<T>(ResilienceResult<T> exec) =>
        On ? time.CreateTimer(_ => Raise(exec, ProgressKind.Snapshot, null, 0, null), null, _interval, _interval) : null;
}
