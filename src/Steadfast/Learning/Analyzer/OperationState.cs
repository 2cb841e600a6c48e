namespace Steadfast;

/// <summary>What the analyzer remembers of one operation. Not thread-safe: guarded by the <see cref="LearningState"/> lock.</summary>
internal sealed class OperationState(int outcomeHistorySize)
{
    /// <summary>The strategy of the last success and its statistics cell: the success path's cache (see <see cref="StatisticsTracker"/>).</summary>
    public string? LastStrategy;

    public StatisticsCell? LastCell;

    /// <summary>When this process last recorded a success of the operation; decides what a late load may add to the trailing run.</summary>
    public DateTimeOffset? LastSuccessAt;

    /// <summary>The recent failures, oldest first.</summary>
    public Queue<Failure> Failures { get; private set; } = new();

    // A ring buffer (Queue<T> is a circular array) sized once: recording an outcome allocates nothing.
    public Queue<RecordedOutcome> Outcomes { get; } = new(Math.Min(outcomeHistorySize, 1024));

    /// <summary>Failures since the last success, oldest first.</summary>
    public Queue<Failure> TrailingRun { get; private set; } = new();

    public void AddFailure(Failure failure, int max)
    {
        Failures.Enqueue(failure);
        while (Failures.Count > max)
        {
            Failures.Dequeue();
        }

        AddOutcome(new RecordedOutcome(failure.Timestamp, failure), outcomeHistorySize);
        TrailingRun.Enqueue(failure);
        if (TrailingRun.Count > max)
        {
            TrailingRun.Dequeue();
        }
    }

    public void AddSuccess(DateTimeOffset at)
    {
        AddOutcome(new RecordedOutcome(at, null), outcomeHistorySize);
        LastSuccessAt = at;
        if (TrailingRun.Count != 0)
        {
            TrailingRun.Clear();
        }
    }

    /// <summary>
    /// Puts failures read from the store underneath what this process recorded, as if they had been loaded first:
    /// they join the failures and the outcomes, and the trailing run where no success of this process came after them.
    /// The store keeps no successes, so a success recorded here still breaks the run.
    /// </summary>
    /// <param name="loaded">The loaded failures of this operation, oldest first.</param>
    /// <param name="max">The most failures kept (<see cref="FailureAnalyzerOptions.MaxRecentFailuresPerOperation"/>).</param>
    public void PutUnderneath(IReadOnlyList<Failure> loaded, int max)
    {
        Failures = Newest(Merge(loaded, Failures), max);
        var run = LastSuccessAt is { } s ? loaded.Where(f => f.Timestamp > s) : loaded;
        TrailingRun = Newest(Merge(run, TrailingRun), max);

        var outcomes = loaded.Select(f => new RecordedOutcome(f.Timestamp, f)).Concat(Outcomes).OrderBy(o => o.At).ToList();
        Outcomes.Clear();
        foreach (var o in outcomes.Skip(Math.Max(0, outcomes.Count - outcomeHistorySize)))
        {
            Outcomes.Enqueue(o);
        }
    }

    public int Forget(DateTimeOffset cutoff)
    {
        var n = 0;
        while (Failures.Count > 0 && Failures.Peek().Timestamp < cutoff)
        {
            Failures.Dequeue();
            n++;
        }

        TrailingRun = new Queue<Failure>(TrailingRun.Where(f => f.Timestamp >= cutoff));
        return n;
    }

    private void AddOutcome(RecordedOutcome outcome, int max)
    {
        // Make room first so the buffer never grows past max.
        while (Outcomes.Count >= max)
        {
            Outcomes.Dequeue();
        }

        Outcomes.Enqueue(outcome);
    }

    // OrderBy is stable: at equal times the loaded failure stays before this process's.
    private static List<Failure> Merge(IEnumerable<Failure> loaded, IEnumerable<Failure> own) => [.. loaded.Concat(own).OrderBy(f => f.Timestamp)];

    private static Queue<Failure> Newest(List<Failure> failures, int max) => new(failures.Skip(Math.Max(0, failures.Count - max)));
}
