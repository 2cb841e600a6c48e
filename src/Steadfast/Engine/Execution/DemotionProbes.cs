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

    /// <summary>Claims the probe of a ranked-down strategy when one is due; of concurrent callers at most one wins per interval.</summary>
    public bool TryClaim(string operation, string strategy, StrategyStatistics stats, DateTimeOffset now)
    {
        if (stats.LastFailureAt is not { } failedAt
            || (stats.LastSuccessAt is { } succeededAt && succeededAt >= failedAt)
            || now - failedAt < interval)
        {
            return false; // it last succeeded, or its failure is too recent to be worth a call
        }

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
