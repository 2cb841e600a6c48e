namespace Steadfast.Chaos.World;

/// <summary>What kind of trouble a provider of the world has.</summary>
internal enum ProviderCharacter
{
    /// <summary>Fast, and down hard (black-holed) for the scripted outage.</summary>
    Outage,

    /// <summary>Answers a share of its requests with a transient 503.</summary>
    Flaky,

    /// <summary>Serves a fixed number of requests a second; the rest get 429 with <c>Retry-After</c>.</summary>
    RateLimited,

    /// <summary>Healthy and slow.</summary>
    Slow,
}

/// <summary>One scripted provider: its name (also the response's <c>X-Provider</c>), its character and its latency.</summary>
internal sealed record ProviderSpec(string Name, ProviderCharacter Character, TimeSpan Latency)
{
    /// <summary>The share of the flaky provider's requests that get a 503.</summary>
    public const double FlakyFailureRate = 0.3;

    /// <summary>The world's providers, in the order every competitor prefers them.</summary>
    public static IReadOnlyList<ProviderSpec> All { get; } =
    [
        new("primary", ProviderCharacter.Outage, TimeSpan.FromMilliseconds(15)),
        new("flaky", ProviderCharacter.Flaky, TimeSpan.FromMilliseconds(25)),
        new("limited", ProviderCharacter.RateLimited, TimeSpan.FromMilliseconds(20)),
        new("slow", ProviderCharacter.Slow, TimeSpan.FromMilliseconds(60)),
    ];

    /// <summary>The name of the provider that goes down and recovers.</summary>
    public static string PrimaryName => All[0].Name;
}
