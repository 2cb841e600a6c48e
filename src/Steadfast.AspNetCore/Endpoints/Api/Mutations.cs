using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary>
/// The gate in front of every change: refused (403) unless <see cref="SteadfastWebOptions.AllowMutations"/>; then the
/// endpoint's authorization has run already (it is an ordinary endpoint convention), and the anti-forgery token is checked
/// here, so a page on another site cannot make a signed-in operator's browser post a change.
/// </summary>
internal static class Mutations
{
    /// <summary>The refusal, or <see langword="null"/> when the change may go ahead.</summary>
    public static async ValueTask<IResult?> RefuseAsync(HttpContext http, SteadfastSources sources)
    {
        if (!sources.Options.AllowMutations)
        {
            return Problems.MutationsDisabled();
        }

        // MapSteadfast checked at start that IAntiforgery is registered when mutations are allowed.
        var antiforgery = sources.Get<IAntiforgery>()!;
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            var header = sources.Get<Microsoft.Extensions.Options.IOptions<AntiforgeryOptions>>()?.Value.HeaderName ?? "RequestVerificationToken";
            return Problems.Antiforgery(header);
        }

        return null;
    }
}
