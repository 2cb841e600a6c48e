namespace Steadfast;

/// <summary>
/// A failure reported by a remote service, with the HTTP-style status code and retry-after hint that
/// Steadfast uses to decide whether to retry, how long to wait and how to classify the root cause.
/// </summary>
/// <remarks>
/// Throw it (or derive from it) from your own service clients when the transport's exception does not
/// carry the status code. <see cref="HttpRequestException.StatusCode"/> is understood without it.
/// </remarks>
public class ServiceException : SteadfastException, IRetryAfterHint
{
    /// <summary>Creates the exception with a default message.</summary>
    public ServiceException()
        : this("The service call failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What the service reported.</param>
    public ServiceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What the service reported.</param>
    /// <param name="innerException">The cause.</param>
    public ServiceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a status code and an optional retry-after hint.</summary>
    /// <param name="message">What the service reported.</param>
    /// <param name="statusCode">The HTTP-style status code, for example 429 or 503.</param>
    /// <param name="retryAfter">When the service said a retry may succeed, if it did.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ServiceException(string message, int statusCode, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP-style status code, or <see langword="null"/> when the service gave none.</summary>
    public int? StatusCode { get; }

    /// <inheritdoc />
    public TimeSpan? RetryAfter { get; }
}
