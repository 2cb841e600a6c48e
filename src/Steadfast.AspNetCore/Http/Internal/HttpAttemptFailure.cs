namespace Steadfast.AspNetCore.Http.Internal;

/// <summary>
/// A response the client's <c>ShouldHandle</c> calls a failure, as the engine sees it: a <see cref="ServiceException"/> with
/// the status code and the <c>Retry-After</c> hint (so 429 is a rate limit and a 503's hint sets the wait, by the engine's
/// retry-after rule), holding the response so the caller gets it when no attempt succeeds.
/// </summary>
#pragma warning disable CA1032 // Internal, built only by From: an instance without its response would mean nothing.
internal sealed class HttpAttemptFailure : ServiceException
{
    private HttpAttemptFailure(ServiceException failure, HttpResponseMessage response)
        : base(failure.Message, failure.StatusCode ?? (int)response.StatusCode, failure.RetryAfter) => Response = response;

    /// <summary>The failed response; disposed with the request's other losing responses unless it is returned.</summary>
    public HttpResponseMessage Response { get; }

    /// <summary>The failure for <paramref name="response"/>, with the message and hint <see cref="ServiceException.FromResponse"/> builds.</summary>
    public static HttpAttemptFailure From(HttpResponseMessage response, TimeProvider time) =>
        new(ServiceException.FromResponse(response, time)
            // A success status the application's ShouldHandle calls a failure still needs a message and its status.
            ?? new ServiceException($"HTTP {(int)response.StatusCode} handled as a failure.", (int)response.StatusCode), response);
}
#pragma warning restore CA1032
