namespace Steadfast;

/// <summary>
/// The recency-weighted evidence of one strategy of one operation (a field of its <see cref="StatisticsCell"/>): decayed
/// success and failure counts and a decayed mean latency, all as of <see cref="AtTicks"/>. Each new attempt first ages
/// what is there by the time since <see cref="AtTicks"/> and by one attempt, then adds itself with weight 1; a read ages
/// by the time since <see cref="AtTicks"/> without changing anything. Plain arithmetic: the success path allocates nothing.
/// Guarded by the <see cref="LearningState"/> lock.
/// </summary>
internal struct RecentEvidence
{
    public double Successes;
    public double Failures;

    /// <summary>The decayed number of successes that reported a duration: the weight of <see cref="LatencyMeanTicks"/>.</summary>
    public double LatencyWeight;

    /// <summary>The decayed mean duration. Kept as a mean (not a weighted sum) so it survives its weight fading to nothing.</summary>
    public double LatencyMeanTicks;

    /// <summary>The UTC ticks the values above are as of.</summary>
    public long AtTicks;

    public void AddSuccess(DateTimeOffset at, TimeSpan? duration, RecencyDecay decay)
    {
        Age(at.UtcTicks, decay.PerAttempt, decay);
        Successes += 1;
        if (duration is { } d)
        {
            LatencyWeight += 1;
            LatencyMeanTicks += (d.Ticks - LatencyMeanTicks) / LatencyWeight;
        }
    }

    public void AddFailure(DateTimeOffset at, RecencyDecay decay)
    {
        Age(at.UtcTicks, decay.PerAttempt, decay);
        Failures += 1;
    }

    /// <summary>(s + 1) / (s + f + 2) over the counts aged to <paramref name="now"/>: Laplace-smoothed as the engine's ranker, 0.5 without evidence.</summary>
    public readonly double SuccessRate(DateTimeOffset now, RecencyDecay decay)
    {
        var f = decay.OverTime(now.UtcTicks - AtTicks);
        return ((Successes * f) + 1) / (((Successes + Failures) * f) + 2);
    }

    public readonly TimeSpan MeanLatency => TimeSpan.FromTicks((long)Math.Round(LatencyMeanTicks));

    /// <summary>
    /// Puts totals read from the store underneath this process's evidence, as if they had been recorded first. The
    /// loaded attempts weigh what that many attempts in a row would (at most 1 / (1 - r), so years of history do not
    /// outweigh the last few calls), split between successes and failures by their counts, each aged by the time since
    /// the loaded <see cref="StrategyStatistics.LastSuccessAt"/> or <see cref="StrategyStatistics.LastFailureAt"/> and
    /// by the <paramref name="laterAttempts"/> this process recorded before the load.
    /// </summary>
    public void AddUnderneath(StrategyStatistics loaded, long laterAttempts, DateTimeOffset now, RecencyDecay decay)
    {
        if (loaded.Attempts <= 0)
        {
            return;
        }

        Age(now.UtcTicks, 1, decay);
        var weight = decay.WeightOf(loaded.Attempts) * Math.Pow(decay.PerAttempt, laterAttempts) / loaded.Attempts;
        var successAge = decay.OverTime(now.UtcTicks - (loaded.LastSuccessAt ?? loaded.LastFailureAt ?? now).UtcTicks);
        var failureAge = decay.OverTime(now.UtcTicks - (loaded.LastFailureAt ?? loaded.LastSuccessAt ?? now).UtcTicks);
        Successes += weight * loaded.Successes * successAge;
        Failures += weight * loaded.Failures * failureAge;
        if (loaded.LatencySamples > 0)
        {
            var loadedWeight = weight * loaded.LatencySamples * successAge;
            var total = LatencyWeight + loadedWeight;
            LatencyMeanTicks = total > 0
                ? ((LatencyMeanTicks * LatencyWeight) + (loaded.MeanLatency.Ticks * loadedWeight)) / total
                : LatencyMeanTicks == 0 ? loaded.MeanLatency.Ticks : LatencyMeanTicks;
            LatencyWeight = total;
        }
    }

    /// <summary>Brings the values to <paramref name="atTicks"/> and multiplies them by <paramref name="extra"/> (one attempt's fading, or 1).</summary>
    private void Age(long atTicks, double extra, RecencyDecay decay)
    {
        var factor = decay.OverTime(atTicks - AtTicks) * extra;
        Successes *= factor;
        Failures *= factor;
        LatencyWeight *= factor;

        // Attempts recorded slightly out of order (the time is read before the lock) age nothing backwards.
        if (atTicks > AtTicks)
        {
            AtTicks = atTicks;
        }
    }
}
