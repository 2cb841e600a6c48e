namespace Steadfast;

/// <summary>
/// The engine's retry budget (<c>ResilienceOptions.RetryBudget</c>): per operation, retries of the same strategy
/// (not moves to another strategy) may be at most a share of the calls, so an outage cannot multiply the load.
/// </summary>
#pragma warning disable CA1822 // TEMPORARY: placeholder until RetryBudget lands (issue 10)
internal sealed class EngineRetryBudget
{
    /// <summary>Counts one call (an execution) of <paramref name="operation"/>.</summary>
    public void RecordCall(string operation) => _ = operation;

    /// <summary>Whether one more retry of a strategy of <paramref name="operation"/> is within the budget; takes it when it is.</summary>
    public bool TryAcquireRetry(string operation) => operation is not null;
}
#pragma warning restore CA1822
