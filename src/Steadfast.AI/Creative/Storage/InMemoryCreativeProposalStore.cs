namespace Steadfast;

/// <summary>An <see cref="ICreativeProposalStore"/> in process memory: proposals survive a new solver in the same process, not a restart.</summary>
public sealed class InMemoryCreativeProposalStore : ICreativeProposalStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Operation, string Name), CreativeProposalRecord> _proposals = [];

    /// <inheritdoc />
    public ValueTask SaveAsync(CreativeProposalRecord proposal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        lock (_lock)
        {
            _proposals.TryAdd((proposal.Operation, proposal.StrategyName), proposal);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RecordOutcomeAsync(string operation, string strategyName, bool succeeded, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_proposals.TryGetValue((operation, strategyName), out var kept))
            {
                _proposals[(operation, strategyName)] = kept with
                {
                    LastSucceeded = succeeded,
                    Successes = kept.Successes + (succeeded ? 1 : 0),
                    Failures = kept.Failures + (succeeded ? 0 : 1),
                    UpdatedAt = at,
                };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<CreativeProposalRecord?> GetAsync(string operation, string strategyName, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_proposals.GetValueOrDefault((operation, strategyName)));
        }
    }

    /// <inheritdoc />
    public ValueTask<CreativeProposalSnapshot> LoadAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            return ValueTask.FromResult(new CreativeProposalSnapshot([.. _proposals.Values.OrderByDescending(p => p.UpdatedAt).Take(limit)], 0));
        }
    }

    /// <summary>Does nothing: there is nothing to release.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
