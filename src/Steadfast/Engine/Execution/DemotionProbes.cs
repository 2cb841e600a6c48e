using System.Collections.Concurrent;

namespace Steadfast;

/// <summary>
/// Recovery probes for strategies that recent failures ranked down without blacklisting them: a strategy whose last attempt
/// failed at least one probe interval ago (<see cref="FailureAnalyzerOptions.BlacklistProbeInterval"/>) gets one call, first,
/// once per interval, across all executions of the operation. Without it, a strategy that failed a few times would sit
/// behind the ones that stood in for it and, in sequential mode, never get the call that shows it recovered. It is the
/// blacklist's probe for the not-yet-blacklisted: after enough failed probes the blacklist takes over, with its doubling.
/// </summary>
internal sealed class DemotionProbes(TimeSpan interval)
{
    private readonly ConcurrentDictionary<(string Operation, string Strategy), long> _lastClaimTicks = new();

    /// <summary>Whether the strategy's last attempt failed at least one interval ago (cheap: no claim, no lookup).</summary>
    public bool MayBeDue(StrategyStatistics stats, DateTimeOffset now) =>
        stats.LastFailureAt is { } failedAt
        && (stats.LastSuccessAt is not { } succeededAt || succeededAt < failedAt)
        && now - failedAt >= interval;

    /// <summary>Claims the probe of a ranked-down strategy (<see cref="MayBeDue"/>); of concurrent callers at most one wins per interval.</summary>
    public bool TryClaim(string operation, string strategy, DateTimeOffset now)
    {
        var key = (operation, strategy);
        while (true)
        {
            if (!_lastClaimTicks.TryGetValue(key, out var last))
            {
                if (_lastClaimTicks.TryAdd(key, now.UtcTicks))
                {
                    return true;
                }
            }
            else if (now.UtcTicks - last < interval.Ticks)
            {
                return false;
            }
            else if (_lastClaimTicks.TryUpdate(key, now.UtcTicks, last))
            {
                return true;
            }
        }
    }
}
