namespace Steadfast;

/// <summary>
/// A failure reported by a remote service, with the HTTP-style status code and retry-after hint that
/// Steadfast uses to decide whether to retry, how long to wait and how to classify the root cause.
/// </summary>
/// <remarks>
/// Throw it (or derive from it) from your own service clients when the transport's exception does not
/// carry the status code; for an <see cref="HttpResponseMessage"/>, <see cref="FromResponse"/> or
/// <see cref="HttpResponseExtensions.EnsureSuccessOrThrowServiceException"/> build it with the <c>Retry-After</c> header.
/// <see cref="HttpRequestException.StatusCode"/> is understood without it (but carries no retry-after).
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

    /// <summary>
    /// Builds the exception for a failed HTTP response: <see cref="StatusCode"/> from the status, <see cref="RetryAfter"/>
    /// from the <c>Retry-After</c> header (a delay in seconds, or an HTTP date measured against
    /// <paramref name="timeProvider"/>, zero once it has passed; none when the header is missing or malformed), and a
    /// message with the status, its reason phrase and the request's method and URI, without user info and with secrets
    /// (query values such as <c>api_key</c>, tokens) redacted.
    /// </summary>
    /// <param name="response">The response; it is not disposed.</param>
    /// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The exception, or <see langword="null"/> when the status code is a success (2xx).</returns>
    /// <remarks>Throwing it in one call: <see cref="HttpResponseExtensions.EnsureSuccessOrThrowServiceException"/>.</remarks>
    public static ServiceException? FromResponse(HttpResponseMessage response, TimeProvider? timeProvider = null) =>
        HttpFailure.FromResponse(response, timeProvider);

    /// <summary>The HTTP-style status code, or <see langword="null"/> when the service gave none.</summary>
    public int? StatusCode { get; }

    /// <inheritdoc />
    public TimeSpan? RetryAfter { get; }
}
