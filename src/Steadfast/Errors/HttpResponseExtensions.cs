namespace Steadfast;

/// <summary>
/// Turns a failed HTTP response into a <see cref="ServiceException"/> in one call, so retry, the engine and the
/// learning layer see its status code (429 is a rate limit, 5xx a server error) and honour its <c>Retry-After</c>.
/// </summary>
/// <example>
/// <code>
/// using var response = await http.GetAsync("https://api.example.com/weather", ct);
/// response.EnsureSuccessOrThrowServiceException();
/// return (await response.Content.ReadFromJsonAsync&lt;Weather&gt;(ct))!;
/// </code>
/// </example>
public static class HttpResponseExtensions
{
    /// <summary>
    /// Returns <paramref name="response"/> when its status code is a success (2xx); otherwise throws the
    /// <see cref="ServiceException"/> that <see cref="ServiceException.FromResponse"/> builds from it. Unlike
    /// <see cref="HttpResponseMessage.EnsureSuccessStatusCode"/>, the exception carries the <c>Retry-After</c> header.
    /// </summary>
    /// <param name="response">The response; it is not disposed.</param>
    /// <param name="timeProvider">The clock an HTTP-date <c>Retry-After</c> is measured against; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns><paramref name="response"/>, for chaining.</returns>
    /// <exception cref="ServiceException">The status code is not a success.</exception>
    public static HttpResponseMessage EnsureSuccessOrThrowServiceException(this HttpResponseMessage response, TimeProvider? timeProvider = null) =>
        HttpFailure.FromResponse(response, timeProvider) is { } failure ? throw failure : response;
}
