using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Competitors;

/// <summary>What a Steadfast strategy does: one GET to one provider; a non-success answer becomes a <see cref="ServiceException"/>.</summary>
internal static class ProviderCalls
{
    public static async Task<string> GetAsync(HttpClient client, ProviderEndpoint endpoint, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(endpoint.QuoteUri, cancellationToken);
        // TODO(issue 10): ServiceException.FromResponse(response) once it is on main; HttpFailures is its stand-in.
        if (HttpFailures.FromResponse(response, TimeProvider.System) is { } failure)
        {
            throw failure;
        }

        return ServedBy(response) ?? endpoint.Name;
    }

    /// <summary>The provider that answered, from the world's <c>X-Provider</c> header.</summary>
    public static string? ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues(ProviderRun.ProviderHeader, out var values) ? values.FirstOrDefault() : null;
}
