namespace Steadfast;

/// <summary>How a closed <see cref="CircuitBreaker"/> decides to open.</summary>
public enum CircuitBreakerMode
{
    /// <summary>
    /// Opens after <see cref="CircuitBreakerOptions.FailureThreshold"/> handled failures in a row; a success resets the count.
    /// </summary>
    ConsecutiveFailures = 0,

    /// <summary>
    /// Opens when, within the last <see cref="CircuitBreakerOptions.SamplingDuration"/>, at least
    /// <see cref="CircuitBreakerOptions.MinimumThroughput"/> calls completed and the share of handled failures
    /// reached <see cref="CircuitBreakerOptions.FailureRatio"/>.
    /// </summary>
    FailureRatio,
}
