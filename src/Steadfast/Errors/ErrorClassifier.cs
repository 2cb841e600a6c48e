using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Steadfast;

/// <summary>
/// Turns an exception into what Steadfast needs to know about it: its <see cref="ErrorCategory"/>, whether a
/// retry can help, its HTTP-style status code and any retry-after hint. Retry, the engine and the learning
/// layer all ask here, so a failure is judged the same way everywhere.
/// </summary>
/// <remarks>
/// Status codes are read from <see cref="ServiceException.StatusCode"/>, <see cref="HttpRequestException.StatusCode"/>,
/// <see cref="WebException"/> responses and <c>Exception.Data["StatusCode"]</c>. Without a status code the
/// exception type decides; last, the type's name is read (<c>...TimeoutError</c>, <c>...AuthError</c>) so
/// exceptions of libraries we do not know still land in the right category.
/// </remarks>
public static class ErrorClassifier
{
    /// <summary>The <see cref="Exception.Data"/> key under which a status code may be stored.</summary>
    public const string StatusCodeDataKey = "StatusCode";

    /// <summary>The <see cref="Exception.Data"/> key under which a retry-after hint may be stored.</summary>
    public const string RetryAfterDataKey = "RetryAfter";

    /// <summary>Classifies an exception.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>Its category; <see cref="ErrorCategory.Unknown"/> when nothing is recognised.</returns>
    public static ErrorCategory Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        exception = Unwrap(exception);

        if (TryGetStatusCode(exception, out var status))
        {
            return FromStatusCode(status);
        }

        switch (exception)
        {
            // A refused retry is judged by the failure it did not retry; without one it is a client-side limit.
            case RetryBudgetExceededException { InnerException: { } notRetried }:
                return Classify(notRetried);
            case RetryBudgetExceededException or RateLimitRejectedException or RateLimiterRejectedException:
                return ErrorCategory.RateLimited;
            case TimeoutException or TimeoutRejectedException:
                return ErrorCategory.Timeout;

            // A refusal without trying that is not a rate limit is an open circuit's. Matching the base type keeps
            // these shared basics from depending on the circuit-breaker feature.
            case ExecutionRejectedException or BrokenCircuitException:
                return ErrorCategory.CircuitOpen;
            case OperationCanceledException { InnerException: TimeoutException }:
                return ErrorCategory.Timeout;
            case AuthenticationException or UnauthorizedAccessException:
                return ErrorCategory.Authentication;
            case KeyNotFoundException or FileNotFoundException or DirectoryNotFoundException:
                return ErrorCategory.NotFound;
            case ArgumentException or FormatException or InvalidCastException or NotSupportedException:
                return ErrorCategory.InvalidInput;
            case OutOfMemoryException or InsufficientExecutionStackException or InsufficientMemoryException:
                return ErrorCategory.ResourceExhausted;
            case HttpRequestException or SocketException or WebException or IOException:
                return ErrorCategory.Network;
        }

        // BCL types were judged above by type; reading their names would misfile InvalidOperationException.
        var type = exception.GetType();
        return type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true ? ErrorCategory.Unknown : FromTypeName(type.Name);
    }

    /// <summary>Maps an HTTP-style status code to a category.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The category the code stands for.</returns>
    public static ErrorCategory FromStatusCode(int statusCode) => statusCode switch
    {
        408 or 504 => ErrorCategory.Timeout,
        429 => ErrorCategory.RateLimited,
        401 or 403 or 407 => ErrorCategory.Authentication,
        404 or 410 => ErrorCategory.NotFound,
        507 or 509 => ErrorCategory.ResourceExhausted,
        >= 500 and < 600 => ErrorCategory.ServerError,
        >= 400 and < 500 => ErrorCategory.InvalidInput,
        _ => ErrorCategory.Unknown,
    };

    /// <summary>
    /// Whether trying again may succeed. Authentication, not-found and invalid-input failures (argument and
    /// validation errors, HTTP 4xx other than 408 and 429) are permanent: retrying them wastes time and money.
    /// Everything else, including failures nothing is known about, is treated as transient.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> when a retry may help.</returns>
    public static bool IsTransient(Exception exception) => IsTransient(Classify(exception));

    /// <summary>Whether failures of this category may succeed when tried again.</summary>
    /// <param name="category">The category.</param>
    /// <returns><see langword="false"/> for authentication, not-found and invalid-input failures.</returns>
    public static bool IsTransient(ErrorCategory category) =>
        category is not (ErrorCategory.Authentication or ErrorCategory.NotFound or ErrorCategory.InvalidInput);

    /// <summary>Reads an HTTP-style status code carried by the exception or one of its inner exceptions.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="statusCode">The status code when found.</param>
    /// <returns><see langword="true"/> when a status code was found.</returns>
    public static bool TryGetStatusCode(Exception exception, out int statusCode)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ServiceException { StatusCode: { } code }:
                    statusCode = code;
                    return true;
                case HttpRequestException { StatusCode: { } http }:
                    statusCode = (int)http;
                    return true;
                case WebException { Response: HttpWebResponse response }:
                    statusCode = (int)response.StatusCode;
                    return true;
            }

            if (e.Data.Contains(StatusCodeDataKey) && e.Data[StatusCodeDataKey] is { } value)
            {
                switch (value)
                {
                    case int i:
                        statusCode = i;
                        return true;
                    case HttpStatusCode h:
                        statusCode = (int)h;
                        return true;
                    case string s when int.TryParse(s, out var parsed):
                        statusCode = parsed;
                        return true;
                }
            }
        }

        statusCode = 0;
        return false;
    }

    /// <summary>
    /// Reads a retry-after hint: <see cref="IRetryAfterHint"/>, Polly's circuit and rate-limiter rejections, or
    /// <c>Exception.Data["RetryAfter"]</c> as a <see cref="TimeSpan"/> or seconds; inner exceptions are searched too.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="retryAfter">The hint when found; never negative.</param>
    /// <returns><see langword="true"/> when a hint was found.</returns>
    public static bool TryGetRetryAfter(Exception exception, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var hint = e switch
            {
                IRetryAfterHint h => h.RetryAfter,
                BrokenCircuitException b => b.RetryAfter,
                RateLimiterRejectedException r => r.RetryAfter,
                _ => null,
            };

            if (hint is null && e.Data.Contains(RetryAfterDataKey))
            {
                hint = e.Data[RetryAfterDataKey] switch
                {
                    TimeSpan t => t,
                    int seconds => TimeSpan.FromSeconds(seconds),
                    double seconds => TimeSpan.FromSeconds(seconds),
                    _ => null,
                };
            }

            if (hint is { } found)
            {
                retryAfter = found < TimeSpan.Zero ? TimeSpan.Zero : found;
                return true;
            }
        }

        retryAfter = TimeSpan.Zero;
        return false;
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception;
    }

    private static ErrorCategory FromTypeName(string name)
    {
        if (Contains(name, "Timeout") || Contains(name, "TimedOut"))
        {
            return ErrorCategory.Timeout;
        }

        if (Contains(name, "RateLimit") || Contains(name, "Throttl") || Contains(name, "TooManyRequests"))
        {
            return ErrorCategory.RateLimited;
        }

        if (Contains(name, "Auth") || Contains(name, "Forbidden") || Contains(name, "Permission") || Contains(name, "Credential"))
        {
            return ErrorCategory.Authentication;
        }

        if (Contains(name, "NotFound"))
        {
            return ErrorCategory.NotFound;
        }

        if (Contains(name, "Validation") || Contains(name, "Invalid"))
        {
            return ErrorCategory.InvalidInput;
        }

        if (Contains(name, "Connection") || Contains(name, "Network") || Contains(name, "Socket") || Contains(name, "Dns"))
        {
            return ErrorCategory.Network;
        }

        if (Contains(name, "Quota") || Contains(name, "Exhausted") || Contains(name, "Capacity"))
        {
            return ErrorCategory.ResourceExhausted;
        }

        return ErrorCategory.Unknown;

        static bool Contains(string haystack, string needle) => haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);
    }
}
