namespace Steadfast.Cli.Demo;

/// <summary>The demo's workload: one operation served by four providers that fail in four different ways.</summary>
internal static class DemoScenario
{
    public const string Operation = "fetch_quote";

    public static IReadOnlyList<ProviderProfile> Providers { get; } =
    [
        // The application's favourite: fast and cheap, until it goes down hard for half of the run.
        new("primary_api", "fast, goes down hard from 20% to 70% of the run", Priority: 1.0, Cost: 0.002m,
            MedianLatency: TimeSpan.FromMilliseconds(25), OutageFrom: 0.2, OutageUntil: 0.7),
        // A mirror that fails transiently: one call in three returns HTTP 503.
        new("flaky_mirror", "fails transiently (HTTP 503) on a third of calls", Priority: 0.9, Cost: 0.001m,
            MedianLatency: TimeSpan.FromMilliseconds(35), FailureRate: 0.33),
        // A partner API with a small quota: above it, HTTP 429 with Retry-After.
        new("partner_api", "rate limited to 4 calls/s (HTTP 429 + Retry-After)", Priority: 0.8, Cost: 0.004m,
            MedianLatency: TimeSpan.FromMilliseconds(40), CallsPerSecond: 4),
        // The last resort: always answers, slowly.
        new("archive", "healthy but slow", Priority: 0.5, Cost: 0m, MedianLatency: TimeSpan.FromMilliseconds(180)),
    ];

    /// <summary>The name of the engine's circuit for a strategy of the demo's operation.</summary>
    public static string CircuitName(string strategy) => Operation + "/" + strategy;

    /// <summary>The seed of one provider's random draws: its own stream, so one provider's calls never shift another's draws.</summary>
    public static int ProviderSeed(int seed, int index) => unchecked((seed * 7919) + index + 1);

    /// <summary>The seed of the engine's retry jitter.</summary>
    public static int JitterSeed(int seed) => unchecked((seed * 7919) - 1);
}
