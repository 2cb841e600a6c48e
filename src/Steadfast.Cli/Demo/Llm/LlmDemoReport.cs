namespace Steadfast.Cli.Demo.Llm;

/// <summary>What the LLM demo did: requests, how they were answered, per provider, per cache level; mode changes and recoveries are notices.</summary>
internal sealed record LlmDemoReport(
    string Scenario, double VirtualSeconds, int Requests, int Answered, int FromCache, int Degraded, int Failovers,
    IReadOnlyList<LlmProviderLine> Providers, IReadOnlyList<LlmCacheLine> CacheLevels, IReadOnlyList<string> Notices, string FinalMode);

/// <summary>One provider's line in the report.</summary>
internal sealed record LlmProviderLine(string Name, string Behaviour, int Calls, int Answers, int Failures, int RateLimitedSkips, decimal Cost);

/// <summary>One cache level's line in the report.</summary>
internal sealed record LlmCacheLine(string Level, long Hits, long Misses, double HitRate, long? Entries, long Evictions);
