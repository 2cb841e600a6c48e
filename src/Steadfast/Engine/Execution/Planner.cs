using Microsoft.Extensions.Logging;
using Steadfast.Telemetry;

namespace Steadfast;

/// <summary>
/// Orders an execution's strategies best first (<see cref="StrategyRanker"/>, on what the learning layer knows of each) and leaves
/// out the blacklisted ones, writing them down as skipped; if every strategy is blacklisted, the one whose entry lapses first stays in.
/// </summary>
internal sealed class Planner(EngineLearning learning, AttemptRecorder recorder, decimal maxApiCost, TimeProvider time, ILogger logger)
{
    public List<Strategy<T>> Plan<T>(ResilienceResult<T> exec, List<Strategy<T>> given)
    {
        var analyzer = learning.Analyzer;
        var operation = exec.OperationName;
        var scored = new List<(Strategy<T> Strategy, double Score, int Order)>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            var s = given[i];
            var stats = analyzer?.GetStrategyStatistics(s.Name, operation);
            var score = StrategyRanker.Score(s.Priority, stats?.Successes ?? 0, stats?.Failures ?? 0, stats?.MeanLatency ?? TimeSpan.Zero, s.Cost, maxApiCost);
            scored.Add((s, score, i));
        }

        scored.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Order.CompareTo(b.Order));
        var plan = new List<Strategy<T>>(scored.Count);
        if (analyzer is null)
        {
            foreach (var (s, _, _) in scored)
            {
                plan.Add(s);
            }

            return plan;
        }

        var now = time.GetUtcNow();
        Strategy<T>? soonest = null;
        var soonestExpiry = DateTimeOffset.MaxValue;
        var skipped = new List<(string Name, string Reason, TimeSpan? RetryAfter)>();
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

                skipped.Add((s.Name, SkipReasons.BlacklistedPrefix + entry.Reason, entry.ExpiresAt is { } e ? e - now : null));
            }
            else
            {
                plan.Add(s);
            }
        }

        if (plan.Count == 0)
        {
            // Giving up without trying would break "never give up": the entry closest to lapsing is the best bet.
            plan.Add(soonest!);
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
