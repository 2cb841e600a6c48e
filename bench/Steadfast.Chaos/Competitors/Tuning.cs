namespace Steadfast.Chaos.Competitors;

/// <summary>
/// The settings every competitor shares, chosen as a competent user would from each library's docs; docs/benchmarks.md
/// ("Chaos") lists what each competitor makes of them.
/// </summary>
/// <param name="Deadline">The per-call deadline: the harness cancels the call then, and each library's own total timeout is set to it.</param>
internal sealed record Tuning(TimeSpan Deadline)
{
    /// <summary>One attempt's timeout: about 4× the slowest healthy provider's latency (60 ms).</summary>
    public static TimeSpan AttemptTimeout { get; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Retries of the same provider before moving on (Polly <c>MaxRetryAttempts</c>; Steadfast <c>MaxAttempts</c> − 1).</summary>
    public const int RetriesPerProvider = 2;

    /// <summary>The first retry's backoff (exponential with jitter after it, in both libraries).</summary>
    public static TimeSpan RetryDelay { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Polly hedging: how long to wait for an answer before the next endpoint is tried, ≈ 3× the primary's latency.</summary>
    public static TimeSpan HedgingDelay { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Polly circuit breakers: the README's example value (the default of 100 never trips at this load before the outage ends).</summary>
    public const int CircuitMinimumThroughput = 10;
}
