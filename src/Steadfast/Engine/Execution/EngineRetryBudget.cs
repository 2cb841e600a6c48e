using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Steadfast;

/// <summary>
/// The engine's retry budget (<see cref="ResilienceOptions.RetryBudget"/>): per operation, retries of the same strategy (not
/// moves to another strategy) may be at most a share of the calls, so an outage cannot multiply the load. One
/// <see cref="RetryBudget"/> per operation, created on its first call; off when the option is <see langword="null"/>.
/// </summary>
internal sealed class EngineRetryBudget(RetryBudgetOptions? options, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, RetryBudget> _budgets = new(StringComparer.Ordinal);

    /// <summary>Counts one call (an execution) of <paramref name="operation"/>.</summary>
    public void RecordCall(string operation) => Of(operation)?.RecordCall();

    /// <summary>Counts one call of <paramref name="operation"/> at <paramref name="timestamp"/> (of the engine's clock, read by the caller).</summary>
    public void RecordCall(string operation, long timestamp) => Of(operation)?.RecordCallAt(timestamp);

    /// <summary>Whether one more retry of a strategy of <paramref name="operation"/> is within the budget; takes it when it is.</summary>
    public bool TryAcquireRetry(string operation) => Of(operation)?.TryAcquireRetry() ?? true;

    private RetryBudget? Of(string operation)
    {
        if (options is null)
        {
            return null;
        }

        return _budgets.TryGetValue(operation, out var budget)
            ? budget
            : _budgets.GetOrAdd(operation, static (name, s) => new RetryBudget(name, s.Options, s.Time, s.Logger), (Options: options, Time: time, Logger: logger));
    }
}
