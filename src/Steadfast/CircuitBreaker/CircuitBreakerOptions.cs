namespace Steadfast;

/// <summary>
/// Configures a <see cref="CircuitBreaker"/>. The breaker copies the values when it is built and validates them
/// there; changing an options object afterwards does not affect breakers already built from it.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>How a closed circuit decides to open.</summary>
    /// <value>The default is <see cref="CircuitBreakerMode.ConsecutiveFailures"/>.</value>
    public CircuitBreakerMode Mode { get; set; } = CircuitBreakerConstants.DefaultMode;

    /// <summary>Consecutive handled failures that open the circuit (<see cref="CircuitBreakerMode.ConsecutiveFailures"/> mode). Allowed: 1 to 10000.</summary>
    /// <value>The default is 5.</value>
    public int FailureThreshold { get; set; } = CircuitBreakerConstants.DefaultFailureThreshold;

    /// <summary>How long an open circuit refuses calls before the next call may probe it. Allowed: 1 ms to 1 day.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan Cooldown { get; set; } = CircuitBreakerConstants.DefaultCooldown;

    /// <summary>
    /// Calls admitted while half-open; further calls are rejected until the probes have decided. A probe that ends
    /// without counting (declined by <see cref="ShouldHandle"/> or cancelled by its caller) frees its slot. If the
    /// probes have not decided within one cooldown, a fresh round of probes is admitted. Allowed: 1 to 1000.
    /// </summary>
    /// <value>The default is 3.</value>
    public int HalfOpenMaxCalls { get; set; } = CircuitBreakerConstants.DefaultHalfOpenMaxCalls;

    /// <summary>Successful probe calls that close a half-open circuit. Allowed: 1 to <see cref="HalfOpenMaxCalls"/>.</summary>
    /// <value>The default is 2.</value>
    public int SuccessThreshold { get; set; } = CircuitBreakerConstants.DefaultSuccessThreshold;

    /// <summary>
    /// Which exceptions count as failures; the others pass through without counting. The caller's own cancellation
    /// never counts, whatever this says. <see langword="null"/> counts every exception.
    /// </summary>
    /// <value>The default is <see langword="null"/> (every exception counts).</value>
    public Func<Exception, bool>? ShouldHandle { get; set; }

    /// <summary>The share of handled failures among the calls in the sampling window that opens the circuit (<see cref="CircuitBreakerMode.FailureRatio"/> mode). Allowed: above 0, up to 1.</summary>
    /// <value>The default is 0.5.</value>
    public double FailureRatio { get; set; } = CircuitBreakerConstants.DefaultFailureRatio;

    /// <summary>The sliding window over which the failure ratio is measured (<see cref="CircuitBreakerMode.FailureRatio"/> mode). Allowed: 100 ms to 1 day.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan SamplingDuration { get; set; } = CircuitBreakerConstants.DefaultSamplingDuration;

    /// <summary>Calls that must complete within the sampling window before the ratio can open the circuit (<see cref="CircuitBreakerMode.FailureRatio"/> mode). Allowed: 1 to 1000000.</summary>
    /// <value>The default is 10.</value>
    public int MinimumThroughput { get; set; } = CircuitBreakerConstants.DefaultMinimumThroughput;

    /// <summary>
    /// Multiplies the cooldown each time the circuit opens again without having closed in between, so a service that
    /// keeps failing is probed less often. 1 keeps the cooldown constant. Allowed: 1 to 100.
    /// </summary>
    /// <value>The default is 1.</value>
    public double CooldownGrowthFactor { get; set; } = CircuitBreakerConstants.DefaultCooldownGrowthFactor;

    /// <summary>The longest the growing cooldown may become. Allowed: <see cref="Cooldown"/> to 1 day (checked only when <see cref="CooldownGrowthFactor"/> is above 1).</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan MaxCooldown { get; set; } = CircuitBreakerConstants.DefaultMaxCooldown;

    /// <summary>Throws when a value is out of range, naming the property, the value and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">Two values contradict each other.</exception>
    public void Validate()
    {
        const string Owner = nameof(CircuitBreakerOptions);
        Guard.That(Enum.IsDefined(Mode), (int)Mode, "must be ConsecutiveFailures (0) or FailureRatio (1)", Owner, nameof(Mode));
        Guard.InRange(FailureThreshold, 1, CircuitBreakerConstants.MaxFailureThreshold, Owner);
        Guard.InRange(Cooldown, CircuitBreakerConstants.MinCooldown, CircuitBreakerConstants.MaxCooldownLimit, Owner);
        Guard.InRange(HalfOpenMaxCalls, 1, CircuitBreakerConstants.MaxHalfOpenCalls, Owner);
        Guard.InRange(SuccessThreshold, 1, CircuitBreakerConstants.MaxHalfOpenCalls, Owner);
        Guard.That(
            SuccessThreshold <= HalfOpenMaxCalls,
            SuccessThreshold,
            $"must be between 1 and HalfOpenMaxCalls ({HalfOpenMaxCalls})",
            Owner);
        Guard.That(FailureRatio is > 0 and <= 1, FailureRatio, "must be above 0 and at most 1", Owner);
        Guard.InRange(SamplingDuration, CircuitBreakerConstants.MinSamplingDuration, CircuitBreakerConstants.MaxSamplingDuration, Owner);
        Guard.InRange(MinimumThroughput, 1, CircuitBreakerConstants.MaxMinimumThroughput, Owner);
        Guard.InRange(CooldownGrowthFactor, 1.0, CircuitBreakerConstants.MaxCooldownGrowthFactor, Owner);
        if (CooldownGrowthFactor > 1)
        {
            Guard.InRange(MaxCooldown, Cooldown, CircuitBreakerConstants.MaxCooldownLimit, Owner);
        }
    }

    /// <summary>
    /// Copies the options (a shallow copy: the <see cref="ShouldHandle"/> delegate is shared), so a breaker keeps its
    /// configuration when the caller changes theirs.
    /// </summary>
    /// <returns>A new options object with the same values.</returns>
    public CircuitBreakerOptions Clone() => (CircuitBreakerOptions)MemberwiseClone();
}
