namespace Steadfast;

/// <summary>A strategy the engine skips for an operation.</summary>
public sealed record BlacklistEntry
{
    /// <summary>The blacklisted strategy (case-sensitive).</summary>
    public required string StrategyName { get; init; }

    /// <summary>The operation it is blacklisted for (case-sensitive).</summary>
    public required string Operation { get; init; }

    /// <summary>Why, with the evidence.</summary>
    public required string Reason { get; init; }

    /// <summary>How many failures led to the entry.</summary>
    public int FailureCount { get; init; }

    /// <summary>When the entry was added.</summary>
    public required DateTimeOffset AddedAt { get; init; }

    /// <summary>When the entry lapses; <see langword="null"/> for entries that last until removed.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Whether the analyzer added it on its own (as opposed to an operator).</summary>
    public bool IsAutomatic { get; init; }

    /// <summary>How many times in a row the strategy has been blacklisted automatically; drives the growing expiry.</summary>
    public int TimesBlacklisted { get; init; } = 1;

    /// <summary>Whether the entry is in force at <paramref name="now"/>.</summary>
    /// <param name="now">The current time.</param>
    /// <returns><see langword="true"/> when it has no expiry or expires after <paramref name="now"/>.</returns>
    public bool IsActiveAt(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;
}
