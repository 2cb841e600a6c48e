namespace Steadfast.AI.Chat;

/// <summary>
/// The providers' ranking inputs as the engine's planner reads them (recent success rate and mean latency from the learning
/// layer), read once and kept until <see cref="ValidUntil"/>; the request's cost is applied per call, as the planner does.
/// <see cref="Usable"/> is false whenever the planner would do more than rank: a provider with a blacklist entry (skipped or
/// probed first) or a ranked-down provider whose recovery probe is due (promoted to the front). The scores before cost are
/// computed once here (<see cref="StrategyRanker.Base"/>); each request applies only its own cost.
/// </summary>
internal sealed class ExpressRanking(double[] baseScores, bool usable, long validUntil)
{
    public bool Usable { get; } = usable;

    /// <summary>The timestamp (of the engine's clock) from which the ranking must be read again.</summary>
    public long ValidUntil { get; } = validUntil;

    /// <summary>The planner's score of provider <paramref name="index"/> for a request of estimated cost <paramref name="cost"/>.</summary>
    public double Score(int index, decimal cost, decimal maxApiCost) => StrategyRanker.WithCost(baseScores[index], cost, maxApiCost);

    /// <summary>Reads the ranking inputs of every provider now.</summary>
    public static ExpressRanking Read(ProviderRuntime[] providers, EngineExpress express, ProviderBlacklist blacklist, string operation)
    {
        var time = express.Time;
        var now = time.GetTimestamp();
        var nowUtc = time.GetUtcNow();
        var until = nowUtc + ChatConstants.RankingRefreshInterval;
        var scores = new double[providers.Length];
        var usable = true;
        var analyzer = express.Analyzer;
        for (var i = 0; i < providers.Length; i++)
        {
            var name = providers[i].Name;
            var priority = providers[i].Provider.Priority;
            if (analyzer is null)
            {
                scores[i] = StrategyRanker.Base(priority, StrategyRanker.Unknown, TimeSpan.Zero);
                usable &= !blacklist.IsBlocked(name);
                continue;
            }

            var stats = analyzer.GetStrategyStatistics(name, operation);
            scores[i] = StrategyRanker.Base(priority, stats.RecentSuccessRate, stats.RecentMeanLatency);
            usable &= analyzer.GetBlacklistEntry(name, operation) is null;
            if (stats.LastFailureAt is { } failedAt && (stats.LastSuccessAt is not { } succeededAt || succeededAt < failedAt))
            {
                // Its last call failed: the planner promotes it for a recovery probe once the interval has passed.
                var due = failedAt + express.ProbeInterval;
                usable &= due > nowUtc;
                until = due < until ? due : until;
            }
        }

        var validFor = until - nowUtc;
        return new ExpressRanking(scores, usable, now + (long)(validFor.TotalSeconds * time.TimestampFrequency));
    }
}
