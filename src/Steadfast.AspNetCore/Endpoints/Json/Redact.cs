namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary>
/// The core's redaction, applied once more to every text a response carries: the core redacts before it stores, but a
/// store written by an older version, or by hand, must not leak through an endpoint either.
/// </summary>
internal static class Redact
{
    public static string? Text(string? text) => string.IsNullOrEmpty(text) ? text : SecretRedactor.RedactText(text);

    public static IReadOnlyDictionary<string, string?> Context(IReadOnlyDictionary<string, string?> context)
    {
        if (context.Count == 0)
        {
            return context;
        }

        var copy = new Dictionary<string, string?>(context.Count, StringComparer.Ordinal);
        foreach (var (key, value) in context)
        {
            copy[key] = SecretRedactor.RedactValue(key, value);
        }

        return copy;
    }
}
