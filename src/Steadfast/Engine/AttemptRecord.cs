namespace Steadfast;

/// <summary>One attempt of one strategy within an execution, or a strategy skipped without being called.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="AttemptNumber">The attempt's number within its strategy, from 1; 0 for a skipped strategy.</param>
/// <param name="StartedAt">When the attempt started (or the strategy was skipped).</param>
/// <param name="Duration">How long the attempt took; zero when skipped.</param>
/// <param name="Outcome">How it ended.</param>
public sealed record AttemptRecord(string Strategy, int AttemptNumber, DateTimeOffset StartedAt, TimeSpan Duration, AttemptOutcome Outcome)
{
    /// <summary>What the attempt threw, when it failed.</summary>
    public Exception? Error { get; init; }

    /// <summary>How long the engine waited (backoff or retry-after) before this attempt.</summary>
    public TimeSpan DelayBefore { get; init; }

    /// <summary>Why the strategy was skipped, or why the engine cancelled the attempt, when known; it begins with one of <see cref="SkipReasons"/>.</summary>
    public string? SkipReason { get; init; }

    /// <summary>When a skipped strategy may be tried again (open circuit, expiring blacklist entry), if known.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>What the attempt cost: <see cref="Strategy{T}.Cost"/> plus what it reported through <see cref="AttemptContext.ReportCost"/>.</summary>
    public decimal Cost { get; init; }

    /// <summary>Whether the attempt succeeded.</summary>
    public bool Succeeded => Outcome == AttemptOutcome.Succeeded;

    /// <summary>Whether the strategy was skipped without being called.</summary>
    public bool Skipped => Outcome == AttemptOutcome.Skipped;
}
