namespace Steadfast.Chaos.World;

/// <summary>Where a competitor reaches one provider: its own authority (port) on 127.0.0.1.</summary>
/// <param name="Name">The provider.</param>
/// <param name="BaseUri">Scheme, host and port: what Polly's hedging routes between and keys its circuit breakers on.</param>
internal sealed record ProviderEndpoint(string Name, Uri BaseUri)
{
    /// <summary>The path every provider serves (the world tells providers apart by port, not path).</summary>
    public const string QuotePath = "/quote";

    /// <summary>The full address of a call to this provider.</summary>
    public Uri QuoteUri { get; } = new(BaseUri, QuotePath);
}
