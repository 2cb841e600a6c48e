namespace Steadfast;

/// <summary>
/// The per-operation history: recent failures, recent outcomes and the run of failures since the last success.
/// Not thread-safe: every member runs under the <see cref="LearningState"/> lock, hence the <c>_NeedsLock</c> names.
/// </summary>
internal sealed class OperationHistory(FailureAnalyzerOptions options)
{
    private readonly Dictionary<string, OperationState> _operations = new(StringComparer.Ordinal);

    public OperationState GetOrAdd_NeedsLock(string operation)
    {
        if (!_operations.TryGetValue(operation, out var state))
        {
            state = new OperationState(options.OutcomeHistorySize);
            _operations[operation] = state;
        }

        return state;
    }

    public void AddFailure_NeedsLock(Failure failure) =>
        GetOrAdd_NeedsLock(failure.Operation).AddFailure(failure, options.MaxRecentFailuresPerOperation);

    /// <summary>Records a success and returns the operation's state (the statistics tracker caches its cell there).</summary>
    public OperationState AddSuccess_NeedsLock(string operation, DateTimeOffset at)
    {
        var state = GetOrAdd_NeedsLock(operation);
        state.AddSuccess(at);
        return state;
    }

    /// <summary>What <see cref="PatternDetector"/> needs about an operation; null when it has no history at all.</summary>
    public PatternInput? PatternInput_NeedsLock(string operation, DateTimeOffset now)
    {
        if (!_operations.TryGetValue(operation, out var state))
        {
            return null;
        }

        var since = now - options.PatternWindow;
        var all = new List<Failure>();
        foreach (var s in _operations.Values)
        {
            foreach (var f in s.Failures)
            {
                if (f.Timestamp >= since)
                {
                    all.Add(f);
                }
            }
        }

        return new PatternInput(
            operation,
            [.. state.Failures.Where(f => f.Timestamp >= since)],
            [.. state.Outcomes.Where(o => o.At >= since)],
            [.. state.TrailingRun],
            all,
            now);
    }

    public IReadOnlyList<Failure> RecentFailures_NeedsLock(string operation) =>
        _operations.TryGetValue(operation, out var s) ? [.. s.Failures] : [];

    public void AddTo_NeedsLock(FailureAnalyticsBuilder builder)
    {
        foreach (var s in _operations.Values)
        {
            foreach (var f in s.Failures)
            {
                builder.Add(FailureAnalyticsBuilder.DayNumber(f.Timestamp), f.Operation, f.ErrorType, 1);
            }
        }
    }

    /// <summary>Forgets failures older than <paramref name="cutoff"/>; returns how many.</summary>
    public int Forget_NeedsLock(DateTimeOffset cutoff)
    {
        var forgotten = 0;
        foreach (var s in _operations.Values)
        {
            forgotten += s.Forget(cutoff);
        }

        return forgotten;
    }

    public void Clear_NeedsLock() => _operations.Clear();

    /// <summary>Puts failures read from the store underneath what this process recorded (see <see cref="OperationState.PutUnderneath"/>).</summary>
    public void PutUnderneath_NeedsLock(IEnumerable<Failure> loaded)
    {
        foreach (var group in loaded.GroupBy(f => f.Operation, StringComparer.Ordinal))
        {
            GetOrAdd_NeedsLock(group.Key).PutUnderneath([.. group.OrderBy(f => f.Timestamp)], options.MaxRecentFailuresPerOperation);
        }
    }
}
