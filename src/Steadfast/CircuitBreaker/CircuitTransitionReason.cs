namespace Steadfast;

/// <summary>Why a <see cref="CircuitBreaker"/> changed state.</summary>
public enum CircuitTransitionReason
{
    /// <summary>Closed to open: <see cref="CircuitBreakerOptions.FailureThreshold"/> consecutive failures.</summary>
    FailureThresholdReached = 0,

    /// <summary>Closed to open: the failure ratio over the sampling window reached <see cref="CircuitBreakerOptions.FailureRatio"/>.</summary>
    FailureRatioReached,

    /// <summary>Open to half-open: the cooldown elapsed and a call arrived.</summary>
    CooldownElapsed,

    /// <summary>Half-open to closed: <see cref="CircuitBreakerOptions.SuccessThreshold"/> probe calls succeeded.</summary>
    ProbesSucceeded,

    /// <summary>Half-open to open: a probe call failed.</summary>
    ProbeFailed,

    /// <summary>An operator called <see cref="CircuitBreaker.Reset"/>.</summary>
    ManualReset,

    /// <summary>An operator called <see cref="CircuitBreaker.Isolate"/>.</summary>
    ManualIsolation,

    /// <summary>The state was restored from a <see cref="CircuitBreakerSnapshot"/>.</summary>
    Restored,
}
