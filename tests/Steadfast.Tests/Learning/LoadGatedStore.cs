namespace Steadfast.Tests.Learning;

/// <summary>
/// An in-memory store whose reads of the analyzer's start-up load (the whole blacklist, failures, statistics) wait
/// until the test opens the gate, so a test decides exactly what is recorded before the load completes.
/// </summary>
public sealed class LoadGatedStore(InMemoryFailureStore inner) : DelegatingFailureStore(inner)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the load read the store.</summary>
    public void Open() => _gate.TrySetResult();

    /// <summary>Makes the load's reads fail, as an unreadable store would.</summary>
    public void Fail(Exception error) => _gate.TrySetException(error);

    public override async ValueTask<IReadOnlyList<BlacklistEntry>> GetBlacklistAsync(bool includeExpired, CancellationToken cancellationToken = default)
    {
        if (includeExpired)
        {
            await _gate.Task;
        }

        return await base.GetBlacklistAsync(includeExpired, cancellationToken);
    }

    public override async ValueTask<IReadOnlyList<Failure>> GetFailuresAsync(string? operation, string? errorType, DateTimeOffset? since, int limit, CancellationToken cancellationToken = default)
    {
        await _gate.Task;
        return await base.GetFailuresAsync(operation, errorType, since, limit, cancellationToken);
    }

    public override async ValueTask<IReadOnlyList<StrategyStatistics>> GetStrategyStatisticsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.Task;
        return await base.GetStrategyStatisticsAsync(cancellationToken);
    }
}
