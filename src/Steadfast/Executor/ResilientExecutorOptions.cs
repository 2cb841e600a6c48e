namespace Steadfast;

/// <summary>
/// What a <see cref="ResilientExecutor"/> combines. Each part is optional (<see langword="null"/> leaves it out); the order
/// inside is fixed: fallback, retry, circuit breaker, rate limit, timeout per attempt.
/// </summary>
/// <remarks>An executor validates and copies the options (each part included) when it is built; later changes do not affect it.</remarks>
public sealed class ResilientExecutorOptions
{
    /// <summary>How failed attempts are retried; <see langword="null"/> for a single attempt.</summary>
    /// <value>The default is <see cref="RetryOptions"/>' defaults (3 attempts).</value>
    public RetryOptions? Retry { get; set; } = new();

    /// <summary>The circuit guarding the service; <see langword="null"/> for none.</summary>
    /// <value>The default is <see cref="CircuitBreakerOptions"/>' defaults.</value>
    /// <remarks>
    /// The circuit comes from the executor's <see cref="CircuitBreakerRegistry"/> under the executor's name, so executors
    /// (and other callers) with the same name share it; when the registry already holds it, these options are ignored.
    /// Without a <see cref="CircuitBreakerOptions.ShouldHandle"/>, rate-limit rejections do not count as failures.
    /// </remarks>
    public CircuitBreakerOptions? CircuitBreaker { get; set; } = new();

    /// <summary>A bulkhead and/or rate limit applied to each attempt; <see langword="null"/> for none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public RateLimitOptions? RateLimit { get; set; }

    /// <summary>The timeout of each attempt (not of the whole call); <see langword="null"/> for none.</summary>
    /// <value>The default is <see cref="TimeoutOptions"/>' defaults (30 seconds, throw).</value>
    public TimeoutOptions? Timeout { get; set; } = new();

    /// <summary>When a call's fallback replaces a failure; <see langword="null"/> for every failure but the caller's cancellation.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public FallbackOptions? Fallback { get; set; }

    /// <summary>Options for an external API: circuit 5 failures / 30 s, 3 attempts, 30 s per attempt.</summary>
    /// <returns>New options; change them freely.</returns>
    public static ResilientExecutorOptions ForApi() => Preset(
        ResilientExecutorConstants.ApiFailureThreshold,
        ResilientExecutorConstants.ApiCooldown,
        new RetryOptions { MaxAttempts = ResilientExecutorConstants.ApiMaxAttempts },
        ResilientExecutorConstants.ApiTimeout);

    /// <summary>Options for a database: circuit 3 failures / 10 s, 2 attempts (200 ms apart), 10 s per attempt.</summary>
    /// <returns>New options; change them freely.</returns>
    public static ResilientExecutorOptions ForDatabase() => Preset(
        ResilientExecutorConstants.DatabaseFailureThreshold,
        ResilientExecutorConstants.DatabaseCooldown,
        new RetryOptions
        {
            MaxAttempts = ResilientExecutorConstants.DatabaseMaxAttempts,
            InitialDelay = ResilientExecutorConstants.DatabaseInitialDelay,
            MaxDelay = ResilientExecutorConstants.DatabaseMaxDelay,
        },
        ResilientExecutorConstants.DatabaseTimeout);

    /// <summary>Options for an AI provider: circuit 3 failures / 60 s, 2 attempts (2 s apart), 120 s per attempt.</summary>
    /// <returns>New options; change them freely.</returns>
    public static ResilientExecutorOptions ForAiProvider() => Preset(
        ResilientExecutorConstants.AiProviderFailureThreshold,
        ResilientExecutorConstants.AiProviderCooldown,
        new RetryOptions { MaxAttempts = ResilientExecutorConstants.AiProviderMaxAttempts, InitialDelay = ResilientExecutorConstants.AiProviderInitialDelay },
        ResilientExecutorConstants.AiProviderTimeout);

    /// <summary>Throws when a part's option is out of range, naming the option, its value and the allowed range.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        Retry?.Validate();
        CircuitBreaker?.Validate();
        RateLimit?.Validate();
        Timeout?.Validate();
        Fallback?.Validate();
    }

    /// <summary>Returns a deep copy: each part is cloned too, so changing one object never changes the other.</summary>
    /// <returns>The copy.</returns>
    public ResilientExecutorOptions Clone() => new()
    {
        Retry = Retry?.Clone(),
        CircuitBreaker = CircuitBreaker?.Clone(),
        RateLimit = RateLimit?.Clone(),
        Timeout = Timeout?.Clone(),
        Fallback = Fallback?.Clone(),
    };

    private static ResilientExecutorOptions Preset(int failureThreshold, TimeSpan cooldown, RetryOptions retry, TimeSpan timeout)
    {
        // An open circuit means "fail fast": waiting out its cooldown inside the retry would defeat it, so the call
        // goes straight to the fallback (or the result) instead.
        retry.DontRetryOn.Add(typeof(CircuitOpenException));
        return Preset(failureThreshold, cooldown, retry, new TimeoutOptions { Timeout = timeout });
    }

    private static ResilientExecutorOptions Preset(int failureThreshold, TimeSpan cooldown, RetryOptions retry, TimeoutOptions timeout) => new()
    {
        Retry = retry,
        CircuitBreaker = new CircuitBreakerOptions
        {
            FailureThreshold = failureThreshold,
            Cooldown = cooldown,

            // The circuit measures the service's health: a permanent failure (bad request, not found, auth) or our own
            // rate limit's rejection says nothing about it.
            ShouldHandle = static ex => ex is not RateLimitRejectedException && ErrorClassifier.IsTransient(ex),
        },
        Timeout = timeout,
    };
}
