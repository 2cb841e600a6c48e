namespace Steadfast;

/// <summary>What a strategy created with an <see cref="AttemptContext"/> learns about its attempt, and how it reports what the attempt cost.</summary>
public sealed class AttemptContext
{
    private readonly Lock _lock = new();
    private decimal _reportedCost;

    internal AttemptContext(string operationName, string strategyName, int attemptNumber, IReadOnlyDictionary<string, object?>? context)
    {
        OperationName = operationName;
        StrategyName = strategyName;
        AttemptNumber = attemptNumber;
        Context = context;
    }

    /// <summary>The operation being executed.</summary>
    public string OperationName { get; }

    /// <summary>The strategy making this attempt.</summary>
    public string StrategyName { get; }

    /// <summary>The attempt's number within its strategy, from 1.</summary>
    public int AttemptNumber { get; }

    /// <summary>The context given to the execution, if any.</summary>
    public IReadOnlyDictionary<string, object?>? Context { get; }

    /// <summary>What the attempt reported so far.</summary>
    public decimal ReportedCost
    {
        get
        {
            lock (_lock)
            {
                return _reportedCost;
            }
        }
    }

    /// <summary>Adds to what this attempt cost (for example tokens times price); charged against <see cref="ResilienceOptions.MaxApiCost"/> when the attempt ends, whether it succeeded or not.</summary>
    /// <param name="cost">The cost to add; 0 or more.</param>
    public void ReportCost(decimal cost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        lock (_lock)
        {
            _reportedCost += cost;
        }
    }
}
