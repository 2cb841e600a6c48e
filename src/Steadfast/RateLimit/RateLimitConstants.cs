namespace Steadfast;

/// <summary>Defaults and limits of <see cref="RateLimitOptions"/>, written once (internal: a public <c>const</c> would compile into callers).</summary>
internal static class RateLimitConstants
{
    /// <summary>The default <see cref="RateLimitOptions.QueueLength"/>: 0, a call that finds no permit is rejected at once.</summary>
    public const int DefaultQueueLength = 0;

    /// <summary>The default <see cref="RateLimitOptions.ReplenishmentPeriod"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultReplenishmentPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The largest allowed <see cref="RateLimitOptions.MaxConcurrentCalls"/> and <see cref="RateLimitOptions.QueueLength"/>.</summary>
    public const int MaxPermits = 100_000;

    /// <summary>The largest allowed <see cref="RateLimitOptions.TokensPerPeriod"/> and <see cref="RateLimitOptions.BurstSize"/>.</summary>
    public const int MaxTokens = 1_000_000;

    /// <summary>The shortest allowed <see cref="RateLimitOptions.ReplenishmentPeriod"/>: 1 ms.</summary>
    public static readonly TimeSpan MinReplenishmentPeriod = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest allowed <see cref="RateLimitOptions.ReplenishmentPeriod"/>: 1 day.</summary>
    public static readonly TimeSpan MaxReplenishmentPeriod = TimeSpan.FromDays(1);

    /// <summary>The name a policy gets when none is given.</summary>
    public const string DefaultName = "rate-limit";
}
