using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Load;

/// <summary>Everything one competitor's run produced: the calls, the server's counters, the script and the competitor's notes.</summary>
internal sealed record RunResult(
    string Competitor,
    IReadOnlyList<CallRecord> Calls,
    IReadOnlyList<ProviderTally> Providers,
    TimeSpan OutageStart,
    TimeSpan OutageEnd,
    TimeSpan Duration,
    IReadOnlyList<string> Notes);
