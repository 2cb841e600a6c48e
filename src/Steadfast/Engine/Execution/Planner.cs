using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Orders an execution's strategies best first (<see cref="StrategyRanker"/>, on what the learning layer knows of each) and marks
/// the blacklisted ones, writing them down as skipped: they wait for their recovery probe (automatic entries) or are out
/// (manual ones). If every strategy is blacklisted, the one whose entry lapses first runs as usual: never give up untried.
/// </summary>
internal sealed class Planner(EngineLearning learning, AttemptRecorder recorder, decimal maxApiCost, TimeProvider time, ILogger logger)
{
    public List<PlannedStrategy<T>> Plan<T>(ResilienceResult<T> exec, List<Strategy<T>> given)
    {
        var analyzer = learning.Analyzer;
        var operation = exec.OperationName;
        var scored = new List<(Strategy<T> Strategy, double Score, int Order)>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var s = given[i];
            var stats = analyzer?.GetStrategyStatistics(s.Name, operation);
            var score = StrategyRanker.Score(s.Priority, stats?.RecentSuccessRate ?? StrategyRanker.Unknown, stats?.RecentMeanLatency ?? TimeSpan.Zero, s.Cost, maxApiCost);
            scored.Add((s, score, i));
        }

        scored.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
        var plan = new List<PlannedStrategy<T>>(scored.Count);
        if (analyzer is null)
        {
            foreach (var (s, _, _) in scored)
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
        foreach (var (s, _, _) in scored)
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
                var until = learning.NextProbeAt(s.Name, operation) ?? entry.ExpiresAt;
                skipped.Add((s.Name, SkipReasons.BlacklistedPrefix + entry.Reason, until is { } u ? u - now : null));
                plan.Add(new PlannedStrategy<T>(s, Blacklisted: true));
            }
            else
            {
                plan.Add(new PlannedStrategy<T>(s, Blacklisted: false));
                available++;
            }
        }

        if (available == 0)
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
}
