namespace Steadfast.Chaos.Reporting;

/// <summary>What the report says about the whole run: the command, the settings and the machine's load.</summary>
internal sealed record RunFacts(
    DateTimeOffset StartedAt,
    string Command,
    TimeSpan Duration,
    int Callers,
    TimeSpan Deadline,
    int Seed,
    int RateLimitPerSecond,
    TimeSpan OutageStart,
    TimeSpan OutageEnd,
    string LoadBefore,
    string LoadAfter);
