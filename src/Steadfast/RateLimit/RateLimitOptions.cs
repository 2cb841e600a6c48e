namespace Steadfast;

/// <summary>
/// How a <see cref="RateLimitPolicy"/> admits calls: a bulkhead (<see cref="MaxConcurrentCalls"/> at once), a token
/// bucket (<see cref="TokensPerPeriod"/> per <see cref="ReplenishmentPeriod"/>), or both; set at least one.
/// </summary>
/// <remarks>A policy validates and copies the options when it is built; later changes do not affect it.</remarks>
public sealed class RateLimitOptions
{
    /// <summary>How many calls may run at once (a bulkhead); <see langword="null"/> for no concurrency limit.</summary>
    /// <value>The default is <see langword="null"/>. Allowed: 1 to 100000.</value>
    public int? MaxConcurrentCalls { get; set; }

    /// <summary>
    /// How many calls may wait (oldest first) for a concurrency slot before further calls are rejected. The token bucket
    /// never queues: when it is empty the call is rejected at once with <see cref="RateLimitRejectedException.RetryAfter"/>.
    /// </summary>
    /// <value>The default is 0 (reject at once). Allowed: 0 to 100000.</value>
    public int QueueLength { get; set; } = RateLimitConstants.DefaultQueueLength;

    /// <summary>How many calls the token bucket admits per <see cref="ReplenishmentPeriod"/>; <see langword="null"/> for no rate limit.</summary>
    /// <value>The default is <see langword="null"/>. Allowed: 1 to 1000000.</value>
    public int? TokensPerPeriod { get; set; }

    /// <summary>How often the bucket is refilled with <see cref="TokensPerPeriod"/> tokens.</summary>
    /// <value>The default is 1 second. Allowed: 1 ms to 1 day.</value>
    public TimeSpan ReplenishmentPeriod { get; set; } = RateLimitConstants.DefaultReplenishmentPeriod;

    /// <summary>How many tokens the bucket holds at most (the largest burst); <see langword="null"/> for <see cref="TokensPerPeriod"/>.</summary>
    /// <value>The default is <see langword="null"/>. Allowed: 1 to 1000000.</value>
    public int? BurstSize { get; set; }

    /// <summary>Throws when an option is out of range, naming the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">Neither a concurrency limit nor a rate is set.</exception>
    public void Validate()
    {
        const string owner = nameof(RateLimitOptions);
        if (MaxConcurrentCalls is null && TokensPerPeriod is null)
        {
            throw new ArgumentException(
                $"{owner} must set MaxConcurrentCalls or TokensPerPeriod (or both); both were null.", owner);
        }

        if (MaxConcurrentCalls is { } maxConcurrentCalls)
        {
            Guard.InRange(maxConcurrentCalls, 1, RateLimitConstants.MaxPermits, owner, nameof(MaxConcurrentCalls));
        }

        Guard.InRange(QueueLength, 0, RateLimitConstants.MaxPermits, owner);
        if (TokensPerPeriod is { } tokensPerPeriod)
        {
            Guard.InRange(tokensPerPeriod, 1, RateLimitConstants.MaxTokens, owner, nameof(TokensPerPeriod));
        }

        if (BurstSize is { } burstSize)
        {
            Guard.InRange(burstSize, 1, RateLimitConstants.MaxTokens, owner, nameof(BurstSize));
        }

        Guard.InRange(ReplenishmentPeriod, RateLimitConstants.MinReplenishmentPeriod, RateLimitConstants.MaxReplenishmentPeriod, owner);
    }

    /// <summary>Returns a copy, so changing one object never changes the other.</summary>
    /// <returns>The copy.</returns>
    public RateLimitOptions Clone() => new()
    {
        MaxConcurrentCalls = MaxConcurrentCalls,
        QueueLength = QueueLength,
        TokensPerPeriod = TokensPerPeriod,
        ReplenishmentPeriod = ReplenishmentPeriod,
        BurstSize = BurstSize,
    };
}
