namespace Steadfast;

/// <summary>
/// Base type of the exceptions thrown when Steadfast refuses a call <em>without running it</em>: an open circuit or a
/// rate limit (<see cref="RateLimitRejectedException"/>). Nothing was sent, so it is always safe to try again later,
/// elsewhere, or to fall back.
/// </summary>
/// <remarks>
/// A timeout is not a rejection: the operation ran and may have had effects, so Steadfast's timeout exception derives
/// from <see cref="TimeoutException"/>, not from this type. Rejections that know when a permit or the circuit will be
/// free implement <see cref="IRetryAfterHint"/>; <see cref="ErrorClassifier.TryGetRetryAfter"/> reads it.
/// </remarks>
public abstract class ExecutionRejectedException : SteadfastException
{
    /// <summary>Creates the exception with a default message.</summary>
    protected ExecutionRejectedException()
        : base("Steadfast refused the call without running it.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the call was refused and when to try again.</param>
    protected ExecutionRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Why the call was refused and when to try again.</param>
    /// <param name="innerException">The cause.</param>
    protected ExecutionRejectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
