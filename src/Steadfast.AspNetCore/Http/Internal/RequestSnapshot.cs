using System.Net.Http.Headers;

namespace Steadfast.AspNetCore.Http.Internal;

/// <summary>
/// What a request needs to be sent again: its body read once into memory and everything else copied, so each attempt
/// (a retry, another endpoint, a racer) sends its own <see cref="HttpRequestMessage"/> and no two share a stream. The
/// standard hedging handler snapshots the request for the same reason.
/// </summary>
internal sealed class RequestSnapshot
{
    private readonly HttpRequestMessage _original;
    private readonly byte[]? _content;

    private RequestSnapshot(HttpRequestMessage original, byte[]? content)
    {
        _original = original;
        _content = content;
    }

    /// <summary>Reads the body of <paramref name="request"/> (at most <paramref name="maxContentBytes"/>) and keeps the rest to copy.</summary>
    /// <exception cref="HttpRequestException">The body is larger than <paramref name="maxContentBytes"/>.</exception>
    public static async ValueTask<RequestSnapshot> CreateAsync(HttpRequestMessage request, long maxContentBytes, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return new RequestSnapshot(request, null);
        }

        // LoadIntoBufferAsync refuses a body over the limit before holding all of it; the bytes are then read from the buffer.
        await request.Content.LoadIntoBufferAsync(maxContentBytes, cancellationToken).ConfigureAwait(false);
        var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new RequestSnapshot(request, bytes);
    }

    /// <summary>A new request like the original; with <paramref name="endpoint"/>, its scheme, host and port are the endpoint's.</summary>
    public HttpRequestMessage Create(Uri? endpoint)
    {
        var uri = _original.RequestUri;
        if (endpoint is not null && uri is { IsAbsoluteUri: true })
        {
            uri = new UriBuilder(uri) { Scheme = endpoint.Scheme, Host = endpoint.Host, Port = endpoint.Port }.Uri;
        }

        var copy = new HttpRequestMessage(_original.Method, uri)
        {
            Version = _original.Version,
            VersionPolicy = _original.VersionPolicy,
        };
        foreach (var header in _original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (endpoint is not null)
        {
            // The Host header, when the caller set one, names the original server, not this endpoint.
            copy.Headers.Host = null;
        }

        foreach (var option in _original.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        if (_content is not null)
        {
            var content = new ByteArrayContent(_content);
            CopyHeaders(_original.Content!.Headers, content.Headers);
            copy.Content = content;
        }

        return copy;
    }

    private static void CopyHeaders(HttpContentHeaders from, HttpContentHeaders to)
    {
        foreach (var header in from)
        {
            to.TryAddWithoutValidation(header.Key, header.Value);
        }
    }
}
