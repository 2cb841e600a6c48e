namespace Steadfast;

/// <summary>
/// Thrown when a rate-limit policy (or an executor's rate limit) refuses a call without running it:
/// the bulkhead and its queue are full, or the token bucket is empty.
/// </summary>
/// <remarks>
/// It lives with the shared errors rather than in the rate-limit feature so that <see cref="ErrorClassifier"/>, the
/// engine and the learning layer recognise it by type without depending on that feature.
/// </remarks>
public class RateLimitRejectedException : ExecutionRejectedException, IRetryAfterHint
{
    /// <summary>Creates the exception with a default message.</summary>
    public RateLimitRejectedException()
        : this("The call was rejected by a rate limiter.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RateLimitRejectedException(string message)
        : base(message)
    {
        LimiterName = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RateLimitRejectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        LimiterName = string.Empty;
    }

    /// <summary>Creates the exception for a named limiter.</summary>
    /// <param name="limiterName">The policy's or executor's name.</param>
    /// <param name="retryAfter">When a permit is expected to be free, if the limiter knows.</param>
    /// <param name="innerException">The cause (Polly's rejection), if any.</param>
    public RateLimitRejectedException(string limiterName, TimeSpan? retryAfter, Exception? innerException = null)
        : base(retryAfter is { } wait
                ? $"Rate limit '{limiterName}' rejected the call: no permit is free; retry after {wait.TotalSeconds:0.###} s."
                : $"Rate limit '{limiterName}' rejected the call: all concurrent slots and queue places are taken; retry when a call finishes.",
            innerException)
    {
        LimiterName = limiterName;
        RetryAfter = retryAfter;
    }

    /// <summary>The name of the policy or executor that refused the call.</summary>
    public string LimiterName { get; }

    /// <summary>When a permit is expected to be free; <see langword="null"/> when unknown (a full bulkhead).</summary>
    public TimeSpan? RetryAfter { get; }
}
