using System.Globalization;
using System.Text;

namespace Steadfast;

/// <summary>
/// Turns a non-success <see cref="HttpResponseMessage"/> into a <see cref="ServiceException"/>: the status code, the
/// <c>Retry-After</c> header as a hint, and a message naming the status and the request without its secrets.
/// </summary>
internal static class HttpFailure
{
    // Query keys that carry credentials but that SecretRedactor.IsSecretKey does not know by name: Google's `key`,
    // Azure SAS's `sig`, OAuth's authorization `code`. Query strings are where URLs put such things.
    private static readonly string[] QuerySecretKeys = ["key", "sig", "code"];

    public static ServiceException? FromResponse(HttpResponseMessage response, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var status = (int)response.StatusCode;
        var retryAfter = RetryAfter(response, timeProvider ?? TimeProvider.System);
        return new ServiceException(Message(response, status, retryAfter), status, retryAfter);
    }

    /// <summary>
    /// The <c>Retry-After</c> header: a delay in seconds as it is, an HTTP date as the time from now until then (zero
    /// when it has passed); <see langword="null"/> when the header is missing or malformed.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        // The typed header is null when the value does not parse (it then stays among the unvalidated values).
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string Message(HttpResponseMessage response, int status, TimeSpan? retryAfter)
    {
        var text = new StringBuilder("HTTP ").Append(status.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrWhiteSpace(response.ReasonPhrase))
        {
            text.Append(" (").Append(response.ReasonPhrase).Append(')');
        }

        if (response.RequestMessage is { } request)
        {
            text.Append(" from ").Append(request.Method.Method);
            if (request.RequestUri is { } uri)
            {
                text.Append(' ');
                AppendUri(text, uri);
            }
        }

        if (retryAfter is { } wait)
        {
            text.Append("; retry after ").Append(wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)).Append(" s");
        }

        text.Append('.');

        // The redactor also catches what the query rules below do not know: bearer tokens, JWTs, password=... anywhere.
        return SecretRedactor.RedactText(text.ToString());
    }

    /// <summary>The URI without user info or fragment, with the values of secret-looking query keys redacted.</summary>
    private static void AppendUri(StringBuilder text, Uri uri)
    {
        string path, query;
        if (uri.IsAbsoluteUri)
        {
            path = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
            query = uri.Query.TrimStart('?');
        }
        else
        {
            var original = uri.OriginalString;
            var hash = original.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                original = original[..hash];
            }

            var mark = original.IndexOf('?', StringComparison.Ordinal);
            path = mark >= 0 ? original[..mark] : original;
            query = mark >= 0 ? original[(mark + 1)..] : string.Empty;
        }

        text.Append(path);
        if (query.Length == 0)
        {
            return;
        }

        var separator = '?';
        foreach (var pair in query.Split('&'))
        {
            text.Append(separator);
            separator = '&';
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !IsSecretQueryKey(Uri.UnescapeDataString(pair[..equals])))
            {
                text.Append(pair);
            }
            else
            {
                text.Append(pair, 0, equals + 1).Append(SecretRedactor.RedactedValue);
            }
        }
    }

    private static bool IsSecretQueryKey(string key)
    {
        foreach (var candidate in QuerySecretKeys)
        {
            if (string.Equals(key, candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return SecretRedactor.IsSecretKey(key);
    }
}
