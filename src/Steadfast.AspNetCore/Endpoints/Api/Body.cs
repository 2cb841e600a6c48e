using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary>Reads a JSON body with the endpoints' contract; a malformed body is a 400 naming where it broke.</summary>
internal static class Body
{
    /// <summary>The largest body a change may carry.</summary>
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext http, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, Problems.Invalid("body", "The body must be JSON (Content-Type: application/json)."));
        }

        if (http.Request.ContentLength > MaxBytes)
        {
            return (null, Problems.Invalid("body", $"The body must be at most {MaxBytes} bytes; was {http.Request.ContentLength}."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(http.Request.Body, typeInfo, http.RequestAborted).ConfigureAwait(false);
            return value is null ? (null, Problems.Invalid("body", "The body must be a JSON object; was null.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Problems.Invalid(field, $"The body is not valid JSON for this request at {ex.Path ?? "$"} (line {ex.LineNumber}, position {ex.BytePositionInLine})."));
        }
    }
}
