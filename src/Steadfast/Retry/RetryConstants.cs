namespace Steadfast;

/// <summary>Defaults and limits of <see cref="RetryOptions"/>, written once (internal: a public <c>const</c> would compile into callers).</summary>
internal static class RetryConstants
{
    /// <summary>The default <see cref="RetryOptions.MaxAttempts"/>: 3 attempts in all (the first and two retries).</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The largest allowed <see cref="RetryOptions.MaxAttempts"/>.</summary>
    public const int MaxMaxAttempts = 100;

    /// <summary>The default <see cref="RetryOptions.InitialDelay"/>: 1 second.</summary>
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="RetryOptions.MaxDelay"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>The largest allowed delay (<see cref="RetryOptions.InitialDelay"/>, <see cref="RetryOptions.MaxDelay"/>): 1 day.</summary>
    public static readonly TimeSpan MaxAllowedDelay = TimeSpan.FromDays(1);

    /// <summary>The default <see cref="RetryOptions.BackoffFactor"/>: each wait is twice the one before.</summary>
    public const double DefaultBackoffFactor = 2.0;

    /// <summary>The smallest allowed <see cref="RetryOptions.BackoffFactor"/> (1 = constant delay).</summary>
    public const double MinBackoffFactor = 1.0;

    /// <summary>The largest allowed <see cref="RetryOptions.BackoffFactor"/>.</summary>
    public const double MaxBackoffFactor = 10.0;

    /// <summary>The default <see cref="RetryOptions.Jitter"/>: on.</summary>
    public const bool DefaultJitter = true;

    /// <summary>
    /// How far jitter moves a wait: uniformly within ±25 % of the backoff delay (then capped at
    /// <see cref="RetryOptions.MaxDelay"/>), enough to spread callers that failed together.
    /// </summary>
    public const double JitterRatio = 0.25;

    /// <summary>The name a policy gets when none is given.</summary>
    public const string DefaultName = "retry";

    /// <summary>The event name under which a throwing <see cref="RetryOptions.OnRetry"/> subscriber is logged.</summary>
    public const string OnRetryEvent = "OnRetry";
}
