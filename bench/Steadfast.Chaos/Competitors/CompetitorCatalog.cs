using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Competitors;

/// <summary>The competitors, in the order they run.</summary>
internal static class CompetitorCatalog
{
    public const string SteadfastSequential = "steadfast-sequential";
    public const string SteadfastRace = "steadfast-race";
    public const string SteadfastHedged = "steadfast-hedged";
    public const string PollyHedging = "polly-hedging";
    public const string PollyChain = "polly-chain";

    public static IReadOnlyList<string> Names { get; } = [SteadfastSequential, SteadfastRace, SteadfastHedged, PollyHedging, PollyChain];

    public static IReadOnlyList<string> PollyNames { get; } = [PollyHedging, PollyChain];

    public static ICompetitor Create(string name, IReadOnlyList<ProviderEndpoint> endpoints, Tuning tuning) => name switch
    {
        SteadfastSequential => new SteadfastCompetitor(name, ExecutionMode.Sequential, endpoints, tuning),
        SteadfastRace => new SteadfastCompetitor(name, ExecutionMode.Race, endpoints, tuning),
        SteadfastHedged => new SteadfastCompetitor(name, ExecutionMode.Hedged, endpoints, tuning),
        PollyHedging => new PollyHedgingCompetitor(name, endpoints, tuning),
        PollyChain => new PollyChainCompetitor(name, endpoints, tuning),
        _ => throw new ArgumentException($"Unknown competitor '{name}'; one of: {string.Join(", ", Names)}.", nameof(name)),
    };
}
