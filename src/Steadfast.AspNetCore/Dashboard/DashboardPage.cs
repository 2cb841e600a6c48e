using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Steadfast.AspNetCore.Endpoints;
using Steadfast.AspNetCore.Endpoints.Api;

namespace Steadfast.AspNetCore.Dashboard;

/// <summary>
/// Serves the dashboard page and its two assets, and the anti-forgery token for API clients. The page carries a strict
/// Content-Security-Policy: scripts and styles only from this prefix, no inline script, connections only to this origin,
/// no framing; every text that came from a failure is inserted by the script as text, never as markup.
/// </summary>
internal sealed class DashboardPage(SteadfastSources sources)
{
    /// <summary>The page's Content-Security-Policy.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public IResult Page(HttpContext http)
    {
        var path = http.Request.Path.Value ?? string.Empty;
        if (!path.EndsWith('/'))
        {
            // The page loads its assets and the API by relative URLs: they resolve under the prefix only with the slash.
            return TypedResults.Redirect($"{http.Request.PathBase}{path}/{http.Request.QueryString}");
        }

        string token = string.Empty, header = string.Empty;
        if (sources.Options.AllowMutations && sources.Get<IAntiforgery>() is { } antiforgery)
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            token = tokens.RequestToken ?? string.Empty;
            header = tokens.HeaderName ?? string.Empty;
        }

        var html = HtmlEncoder.Default;
        var page = DashboardAssets.Read(DashboardAssets.Page)
            .Replace("{{mutations}}", sources.Options.AllowMutations ? "true" : "false", StringComparison.Ordinal)
            .Replace("{{token}}", html.Encode(token), StringComparison.Ordinal)
            .Replace("{{header}}", html.Encode(header), StringComparison.Ordinal);
        Secure(http.Response, noStore: true);
        return TypedResults.Text(page, "text/html; charset=utf-8");
    }

    public static IResult Script(HttpContext http)
    {
        Secure(http.Response, noStore: false);
        return TypedResults.Text(DashboardAssets.Read(DashboardAssets.Script), "text/javascript; charset=utf-8");
    }

    public static IResult Styles(HttpContext http)
    {
        Secure(http.Response, noStore: false);
        return TypedResults.Text(DashboardAssets.Read(DashboardAssets.Styles), "text/css; charset=utf-8");
    }

    /// <summary><c>GET antiforgery</c>: the token (and its cookie) an API client sends with a change.</summary>
    public IResult Antiforgery(HttpContext http)
    {
        if (!sources.Options.AllowMutations || sources.Get<IAntiforgery>() is not { } antiforgery)
        {
            return Problems.MutationsDisabled();
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new Dictionary<string, string?> { ["headerName"] = tokens.HeaderName, ["token"] = tokens.RequestToken });
    }

    private static void Secure(HttpResponse response, bool noStore)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = noStore ? "no-store" : "no-cache";
    }
}
