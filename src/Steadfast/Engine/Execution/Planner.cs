using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Orders an execution's strategies best first (<see cref="StrategyRanker"/>, on what the learning layer knows of each) and marks
/// the blacklisted ones, writing them down as skipped: they wait for their recovery probe (automatic entries) or are out
/// (manual ones). If every strategy is blacklisted, the one whose entry lapses first runs as usual: never give up untried.
/// </summary>
internal sealed class Planner(EngineLearning learning, DemotionProbes demotionProbes, AttemptRecorder recorder, OperatingConditions conditions,
    decimal maxApiCost, TimeProvider time, ILogger logger)
{
    public List<PlannedStrategy<T>> Plan<T>(ResilienceResult<T> exec, List<Strategy<T>> given)
    {
        var analyzer = learning.Analyzer;
        var operation = exec.OperationName;
        var eligible = OperatingFilter.Apply(exec, given, conditions, recorder);
        var scored = new List<(Strategy<T> Strategy, double Score, int Order, StrategyStatistics? Stats)>(eligible.Count);
        for (var i = 0; i < eligible.Count; i++)
        {
            var s = eligible[i];
            var stats = analyzer?.GetStrategyStatistics(s.Name, operation);
            var score = StrategyRanker.Score(s.Priority, stats?.RecentSuccessRate ?? StrategyRanker.Unknown, stats?.RecentMeanLatency ?? TimeSpan.Zero, s.Cost, maxApiCost)
                * conditions.HealthFactor(s);
            scored.Add((s, score, i, stats));
        }

        scored.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
        if (conditions.LoadBalancing)
        {
            LoadBalancer.Shuffle(scored, conditions);
        }

        if (analyzer is not null)
        {
            PromoteDueDemotionProbe(scored, analyzer, operation);
        }
        var plan = new List<PlannedStrategy<T>>(scored.Count);
        if (analyzer is null)
        {
            foreach (var (s, _, _, _) in scored)
            {
                plan.Add(new PlannedStrategy<T>(s, Blacklisted: false));
            }

            return plan;
        }

        var now = time.GetUtcNow();
        Strategy<T>? soonest = null;
        var soonestExpiry = DateTimeOffset.MaxValue;
        var skipped = new List<(string Name, string Reason, TimeSpan? RetryAfter)>();
        var available = 0;
        var probesDue = 0;
        foreach (var (s, _, _, _) in scored)
        {
            if (analyzer.GetBlacklistEntry(s.Name, operation) is { } entry)
            {
                var expiry = entry.ExpiresAt ?? DateTimeOffset.MaxValue;
                if (soonest is null || expiry < soonestExpiry)
                {
                    soonest = s;
                    soonestExpiry = expiry;
                }

                // Until its next recovery probe (automatic entries), or until it lapses (manual ones).
                var probeAt = learning.NextProbeAt(s.Name, operation);
                if (probeAt <= now)
                {
                    // Its recovery probe is due: it goes first, or a recovered provider would never get the call that proves it
                    // (the others keep succeeding). The schedule claims the probe; a caller that loses it moves on.
                    plan.Insert(probesDue++, new PlannedStrategy<T>(s, Blacklisted: true));
                    continue;
                }

                var until = probeAt ?? entry.ExpiresAt;
                skipped.Add((s.Name, SkipReasons.BlacklistedPrefix + entry.Reason, until is { } u ? u - now : null));
                plan.Add(new PlannedStrategy<T>(s, Blacklisted: true));
            }
            else
            {
                plan.Add(new PlannedStrategy<T>(s, Blacklisted: false));
                available++;
            }
        }

        if (available == 0 && probesDue == 0)
        {
            // Giving up without trying would break "never give up": the entry closest to lapsing is the best bet.
            var at = plan.FindIndex(p => ReferenceEquals(p.Strategy, soonest));
            plan[at] = new PlannedStrategy<T>(soonest!, Blacklisted: false);
            skipped.RemoveAll(x => x.Name == soonest!.Name);
            Log.EngineAllBlacklisted(logger, operation, soonest!.Name);
        }

        foreach (var (name, reason, retryAfter) in skipped)
        {
            recorder.Skipped(exec, name, reason, retryAfter);
        }

        return plan;
    }

    /// <summary>Moves to the front the best-ranked strategy, below the first, whose recovery probe for a ranking-down is due (<see cref="DemotionProbes"/>).</summary>
    private void PromoteDueDemotionProbe<T>(List<(Strategy<T> Strategy, double Score, int Order, StrategyStatistics? Stats)> scored, FailureAnalyzer analyzer, string operation)
    {
        var now = time.GetUtcNow();
        for (var i = 1; i < scored.Count; i++)
        {
            var (s, _, _, stats) = scored[i];
            if (stats is not null && demotionProbes.MayBeDue(stats, now)
                && analyzer.GetBlacklistEntry(s.Name, operation) is null && demotionProbes.TryClaim(operation, s.Name, now))
            {
                var probe = scored[i];
                scored.RemoveAt(i);
                scored.Insert(0, probe);
                return;
            }
        }
    }
}
