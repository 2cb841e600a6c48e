using System.Globalization;

namespace Steadfast.Chaos.Competitors;

/// <summary>
/// Stand-in for <c>ServiceException.FromResponse(HttpResponseMessage, TimeProvider?)</c> (issue 10, point 6), which is
/// being added to the library: turns a non-success response into a <see cref="ServiceException"/> with the status code
/// and the <c>Retry-After</c> (delta or HTTP date).
/// </summary>
/// <remarks>TODO(issue 10): delete this file and call <c>ServiceException.FromResponse</c> when it is on main.</remarks>
internal static class HttpFailures
{
    public static ServiceException? FromResponse(HttpResponseMessage response, TimeProvider time)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var status = (int)response.StatusCode;
        var message = string.Create(CultureInfo.InvariantCulture, $"HTTP {status} ({response.ReasonPhrase}) from {response.RequestMessage?.RequestUri}");
        return new ServiceException(message, status, RetryAfterOf(response, time));
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
