using System.Globalization;
using Microsoft.AspNetCore.Http;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary><c>GET creative?limit=N</c>: the creative solver's most recent steps, oldest first (docs/web.md).</summary>
internal sealed class CreativeApi(SteadfastSources sources)
{
    /// <summary>Steps returned without <c>limit</c>.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest <c>limit</c>.</summary>
    public const int MaxLimit = 500;

    public IResult Recent(HttpContext http)
    {
        var limit = DefaultLimit;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } rawLimit
            && (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Problems.Invalid("limit", $"limit must be a whole number between 1 and {MaxLimit}; was '{rawLimit}'.");
        }

        return TypedResults.Json(CreativeView.Of(sources.Creative, limit), SteadfastWebJsonContext.Default.CreativeView);
    }
}
