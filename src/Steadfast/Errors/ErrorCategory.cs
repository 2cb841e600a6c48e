namespace Steadfast;

/// <summary>What kind of failure an exception represents. Produced by <see cref="ErrorClassifier"/>.</summary>
public enum ErrorCategory
{
    /// <summary>Nothing more specific is known.</summary>
    Unknown = 0,

    /// <summary>The network failed: connection refused or reset, DNS, socket and I/O errors.</summary>
    Network,

    /// <summary>The call took too long (a <see cref="TimeoutException"/>, HTTP 408 or 504).</summary>
    Timeout,

    /// <summary>The service is throttling us (HTTP 429, a rate limiter's rejection).</summary>
    RateLimited,

    /// <summary>Credentials were missing, wrong or insufficient (HTTP 401, 403).</summary>
    Authentication,

    /// <summary>The thing asked for does not exist (HTTP 404, 410).</summary>
    NotFound,

    /// <summary>The service failed on its side (HTTP 500, 502, 503).</summary>
    ServerError,

    /// <summary>The request itself is wrong (argument, format or validation errors, other HTTP 4xx).</summary>
    InvalidInput,

    /// <summary>A resource ran out: memory, quota, disk, a full queue (HTTP 507).</summary>
    ResourceExhausted,

    /// <summary>
    /// A circuit breaker refused the call without trying it: Steadfast's open-circuit rejection, Polly's
    /// <see cref="Polly.CircuitBreaker.BrokenCircuitException"/>, or any other <see cref="ExecutionRejectedException"/>
    /// that is not a <see cref="RateLimitRejectedException"/>.
    /// </summary>
    CircuitOpen,
}
