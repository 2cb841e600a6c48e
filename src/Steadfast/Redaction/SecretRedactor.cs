using System.Globalization;

namespace Steadfast;

/// <summary>
/// The one place Steadfast removes secrets before anything is stored, logged or shown: context values under
/// secret-looking keys (password, secret, token, api_key, authorization, cookie, ...), and secrets inside free text
/// such as exception messages (see <see cref="RedactText"/>). Failure messages and context, circuit last errors,
/// blacklist reasons, analyses, dead-letter and workflow errors and Steadfast's log messages all pass through it.
/// </summary>
/// <remarks>Keys are compared case-insensitively with <c>-</c>, <c>_</c>, <c>.</c> and spaces ignored, so
/// <c>X-Api-Key</c>, <c>api_key</c> and <c>ApiKey</c> are the same key.</remarks>
public static class SecretRedactor
{
    /// <summary>The text that replaces a secret in stored context, messages and logs: <c>[REDACTED]</c>.</summary>
    public static string RedactedValue => "[REDACTED]";

    /// <summary>Longest context value or message kept; longer text is cut, so one call cannot bloat the store.</summary>
    public const int MaxValueLength = 2048;

    private const int MaxCachedKeys = 4096;

    /// <summary>How much of a longer text is scanned before it is cut to <see cref="MaxValueLength"/>.</summary>
    private const int MaxScannedLength = 4 * MaxValueLength;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> KeyCache = new(StringComparer.Ordinal);

    private static readonly string[] SecretKeyParts =
    [
        "password", "passwd", "pwd", "secret", "token", "apikey", "authorization", "auth", "cookie", "credential",
        "privatekey", "accesskey", "sessionid", "sessid", "connectionstring", "signature", "passphrase", "accountkey",
        "subscriptionkey", "masterkey", "encryptionkey", "signingkey",
    ];

    /// <summary>Whether values under this key are secrets.</summary>
    /// <param name="key">The context key.</param>
    /// <returns><see langword="true"/> when the key names a secret.</returns>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        // Context keys are a small, fixed set in practice: judge each once. The cap keeps hostile key sets from growing it.
        if (KeyCache.TryGetValue(key, out var known))
        {
            return known;
        }

        var secret = Judge(key);
        if (KeyCache.Count < MaxCachedKeys)
        {
            KeyCache.TryAdd(key, secret);
        }

        return secret;
    }

    private static bool Judge(string key)
    {
        var buffer = key.Length <= 128 ? stackalloc char[key.Length] : new char[key.Length];
        var n = 0;
        foreach (var c in key)
        {
            if (c is not ('-' or '_' or '.' or ' '))
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }

        ReadOnlySpan<char> normalized = buffer[..n];
        foreach (var part in SecretKeyParts)
        {
            if (normalized.Contains(part, StringComparison.Ordinal) && !(part == "auth" && normalized.Contains("author", StringComparison.Ordinal) && !normalized.Contains("authorization", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Removes credentials found inside free text and cuts it to <see cref="MaxValueLength"/>: bearer and basic
    /// credentials, JSON web tokens, credentials in URLs (<c>https://user:pass@host</c>), header lines
    /// (<c>Authorization: ...</c>, <c>Cookie: ...</c>), secret-named keys in <c>key=value</c>, <c>key: 'value'</c> and JSON
    /// (<c>"password": "..."</c>) forms, private key blocks and tokens with a well-known prefix (<c>sk-</c>, <c>ghp_</c>,
    /// <c>AKIA</c>, ...). One pass over the text; text with nothing secret-looking is returned as it is.
    /// </summary>
    /// <param name="text">The text, for example an exception message.</param>
    /// <returns>The text with secrets replaced by <see cref="RedactedValue"/>.</returns>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Redact before cutting, so the cut never leaves the start of a secret that its shape no longer gives away; the text
        // scanned is bounded all the same.
        if (text.Length > MaxScannedLength)
        {
            text = text[..MaxScannedLength];
        }

        text = SecretPatterns.Redact(text);
        return text.Length > MaxValueLength ? text[..MaxValueLength] : text;
    }

    /// <summary>Redacts text that is not kept (log messages, exception texts for logs): the same patterns, nothing cut.</summary>
    internal static string RedactUnbounded(string text) => SecretPatterns.Redact(text);

    /// <summary>Turns a call's context into what may be stored: values as invariant strings, secrets redacted.</summary>
    /// <param name="context">The context, or <see langword="null"/>.</param>
    /// <returns>A new dictionary; empty when <paramref name="context"/> is null or empty.</returns>
    public static IReadOnlyDictionary<string, string?> RedactContext(IReadOnlyDictionary<string, object?>? context)
    {
        if (context is null || context.Count == 0)
        {
            return System.Collections.ObjectModel.ReadOnlyDictionary<string, string?>.Empty;
        }

        var result = new Dictionary<string, string?>(context.Count, StringComparer.Ordinal);
        foreach (var (key, value) in context)
        {
            result[key] = RedactValue(key, value);
        }

        return result;
    }

    /// <summary>Redacts one context value.</summary>
    /// <param name="key">Its key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The value as an invariant string, <see cref="RedactedValue"/> when secret, or null.</returns>
    public static string? RedactValue(string key, object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (IsSecretKey(key))
        {
            return RedactedValue;
        }

        var text = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        return RedactText(text);
    }
}
