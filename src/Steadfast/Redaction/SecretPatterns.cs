using System.Buffers;
using System.Text.RegularExpressions;

namespace Steadfast;

/// <summary>
/// The secret shapes <see cref="SecretRedactor"/> finds in free text, as one source-generated regular expression: the
/// text is scanned once, left to right, and every match is replaced by <see cref="SecretRedactor.RedactedValue"/> where
/// its <c>secret</c> group stands (what surrounds it, such as <c>password=</c> or the quotes, stays readable).
/// </summary>
/// <remarks>
/// Keys and values are bounded (a key is at most 64 characters either side of its secret word), so hostile input costs
/// linear time; a word is only searched for secret names when a separator follows it (the lookahead before the key),
/// so prose costs little more than the scan. A value cut short (a truncated message, an unterminated quote) is still
/// redacted up to where it ends.
/// </remarks>
internal static partial class SecretPatterns
{
    /// <summary>
    /// What a text must contain (case-insensitively) for any pattern to match: a text without one of these is returned
    /// as it is without running the expression (a vectorized search; most exception messages stop here). URL credentials
    /// are found by their <c>@</c>, not by <c>://</c>, which nearly every HTTP error names.
    /// </summary>
    private static readonly SearchValues<string> Triggers = SearchValues.Create(
        [
            "pass", "pwd", "secret", "token", "key", "auth", "cookie", "sess", "sid", "sig", "credential", "bearer", "basic",
            "eyj", "@", "-----begin", "sk-", "sk_", "rk_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
            "xox", "akia", "asia", "aiza", "npm_",
        ],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>Replaces every secret in <paramref name="text"/>; returns the same instance when there is none.</summary>
    public static string Redact(string text)
        => text.AsSpan().ContainsAny(Triggers) ? Secret().Replace(text, ReplaceSecretGroup) : text;

    /// <summary>Keeps the match around its <c>secret</c> group (key, separator, quotes, scheme) and replaces the group.</summary>
    private static string ReplaceSecretGroup(Match match)
    {
        var secret = match.Groups["secret"];
        if (!secret.Success)
        {
            return SecretRedactor.RedactedValue;
        }

        var value = match.ValueSpan;
        var start = secret.Index - match.Index;
        return string.Concat(value[..start], SecretRedactor.RedactedValue, value[(start + secret.Length)..]);
    }

    // Alternatives, tried in this order at each position (the leftmost match wins, so a key=value whose value is a JWT is one match):
    //  1. PEM private key blocks;  2. JSON web tokens (also cut ones: any base64url run that starts with eyJ, the encoding of {");
    //  3. tokens with a well-known prefix (OpenAI, Stripe, GitHub, GitLab, Slack, AWS access key ids, Google API keys, npm);
    //  4. credentials in a URL (scheme://user:pass@host: the whole user info);
    //  5. HTTP header lines whose whole value is secret (Authorization, Proxy-Authorization, Cookie, Set-Cookie): to the end of the line;
    //  6. key = value, key: value, "key": "value", key => value, where the key names a secret (password, AWS_SECRET_ACCESS_KEY, x-api-key,
    //     sessionid, ...), the value quoted (single, double, or escaped double quotes) or bare;
    //  7. Bearer and Basic credentials anywhere, unless the next word is plainly prose ("Bearer token", "Basic authentication").
    [GeneratedRegex(
        """
        (?<secret>-----BEGIN[A-Z\x20]*PRIVATE\x20KEY-----[\s\S]*?(?:-----END[A-Z\x20]*PRIVATE\x20KEY-----|\z))
        |
        (?-i:(?<secret>\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)*))
        |
        (?-i:(?<secret>\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{20,}
            |github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abeprs]-[A-Za-z0-9-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}
            |AIza[0-9A-Za-z_-]{35}|npm_[A-Za-z0-9]{36})))
        |
        \b[a-z][a-z0-9+.-]{0,20}://(?<secret>[^\s/?\#@]{1,256}(?:@[^\s/?\#@]{1,256})*)(?=@)
        |
        (?<![\w-])(?:proxy-)?(?:authorization|set-cookie|cookie)[\x20\t]*:[\x20\t]*(?:(?:bearer|basic|digest|negotiate|ntlm|token)[\x20\t]+)?
            (?<secret>[^\s"][^\r\n"]*)
        |
        (?<![\w.-])
            (?=(?:\\?["'])?[\w.-]{1,129}(?:\\?["'])?[\x20\t]*(?:=>|[=:]))
            (?:\\?["'])?
            [\w.-]{0,64}?
            (?:pass(?:word|wd|phrase)|(?<![a-z])pass(?![a-z])|pwd|secret(?!ar)|token(?!s|iz)|api[_-]?key
              |(?:access|private|account|subscription|master|encryption|signing|client)[_-]?key
              |credential|authorization|auth(?!or|ent)|cookie|sess(?:ion)?[_-]?id|(?<![a-z])sid(?![a-z])|signature|(?<![a-z])sig(?![a-z]))
            [\w.-]{0,64}
            (?:\\?["'])?[\x20\t]*(?:=>|[=:])[\x20\t]*(?>(?:(?:bearer|basic)[\x20\t]+)?)
            (?!\[REDACTED\])
            (?:\\?"(?<secret>(?:[^"\\\r\n]|\\(?!")[^\r\n])*)(?:\\?"|(?=[\r\n])|\z)
              |\\?'(?<secret>(?:[^'\\\r\n]|\\(?!')[^\r\n])*)(?:\\?'|(?=[\r\n])|\z)
              |(?<secret>[^\s"'][^\s;&,"'<>{}\[\]()]*))
        |
        \b(?:bearer|basic)[\x20\t]+(?<secret>(?-i:(?![a-z]{3,15}[.,;:!?)]*(?:\s|\z)))[A-Za-z0-9\-._~+/]+=*)
        """,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture)]
    private static partial Regex Secret();
}
