namespace Steadfast;

/// <summary>
/// The defaults and limits of <see cref="CircuitBreakerOptions"/>, written once. Internal, so a changed default reaches
/// callers with the new package instead of being compiled into them; users read the defaults in the options' docs.
/// </summary>
internal static class CircuitBreakerConstants
{
    /// <summary>The default <see cref="CircuitBreakerOptions.Mode"/>.</summary>
    public const CircuitBreakerMode DefaultMode = CircuitBreakerMode.ConsecutiveFailures;

    /// <summary>The default <see cref="CircuitBreakerOptions.FailureThreshold"/>: 5 consecutive failures.</summary>
    public const int DefaultFailureThreshold = 5;

    /// <summary>The default <see cref="CircuitBreakerOptions.HalfOpenMaxCalls"/>: 3 probe calls.</summary>
    public const int DefaultHalfOpenMaxCalls = 3;

    /// <summary>The default <see cref="CircuitBreakerOptions.SuccessThreshold"/>: 2 successful probes.</summary>
    public const int DefaultSuccessThreshold = 2;

    /// <summary>The default <see cref="CircuitBreakerOptions.FailureRatio"/>: half of the sampled calls.</summary>
    public const double DefaultFailureRatio = 0.5;

    /// <summary>The default <see cref="CircuitBreakerOptions.MinimumThroughput"/>: 10 calls in the window.</summary>
    public const int DefaultMinimumThroughput = 10;

    /// <summary>The default <see cref="CircuitBreakerOptions.CooldownGrowthFactor"/>: 1 (the cooldown does not grow).</summary>
    public const double DefaultCooldownGrowthFactor = 1.0;

    /// <summary>The largest allowed <see cref="CircuitBreakerOptions.FailureThreshold"/>.</summary>
    public const int MaxFailureThreshold = 10_000;

    /// <summary>The largest allowed <see cref="CircuitBreakerOptions.HalfOpenMaxCalls"/> and <see cref="CircuitBreakerOptions.SuccessThreshold"/>.</summary>
    public const int MaxHalfOpenCalls = 1_000;

    /// <summary>The largest allowed <see cref="CircuitBreakerOptions.MinimumThroughput"/>.</summary>
    public const int MaxMinimumThroughput = 1_000_000;

    /// <summary>The largest allowed <see cref="CircuitBreakerOptions.CooldownGrowthFactor"/>.</summary>
    public const double MaxCooldownGrowthFactor = 100.0;

    /// <summary>How many buckets the failure-ratio sampling window is split into.</summary>
    public const int SamplingBuckets = 10;

    /// <summary>The default <see cref="CircuitBreakerOptions.Cooldown"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="CircuitBreakerOptions.SamplingDuration"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultSamplingDuration = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="CircuitBreakerOptions.MaxCooldown"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultMaxCooldown = TimeSpan.FromMinutes(5);

    /// <summary>The shortest allowed <see cref="CircuitBreakerOptions.Cooldown"/>: 1 millisecond.</summary>
    public static readonly TimeSpan MinCooldown = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest allowed <see cref="CircuitBreakerOptions.Cooldown"/> and <see cref="CircuitBreakerOptions.MaxCooldown"/>: 1 day.</summary>
    public static readonly TimeSpan MaxCooldownLimit = TimeSpan.FromDays(1);

    /// <summary>The shortest allowed <see cref="CircuitBreakerOptions.SamplingDuration"/>: 100 milliseconds.</summary>
    public static readonly TimeSpan MinSamplingDuration = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest allowed <see cref="CircuitBreakerOptions.SamplingDuration"/>: 1 day.</summary>
    public static readonly TimeSpan MaxSamplingDuration = TimeSpan.FromDays(1);
}
