namespace Steadfast;

/// <summary>
/// How fast evidence fades from the recent statistics: an attempt weighs
/// 2^-(age / <see cref="FailureAnalyzerOptions.StatisticsHalfLife"/>) × 2^-(later attempts / <see cref="FailureAnalyzerOptions.StatisticsHalfLifeAttempts"/>).
/// Computed once from the options so the success path only multiplies (see <see cref="RecentEvidence"/>).
/// </summary>
internal sealed class RecencyDecay(FailureAnalyzerOptions options)
{
    // 2^-(t / h) = e^(t × -ln 2 / h): Math.Exp is a fraction of the cost of double.Exp2 (a pow call), on every recorded attempt.
    private readonly double _lnFactorPerTick = -Math.Log(2) / options.StatisticsHalfLife.Ticks;

    /// <summary>What one later attempt of the same strategy multiplies older evidence by: 2^-(1 / half-life in attempts).</summary>
    public double PerAttempt { get; } = double.Exp2(-1.0 / options.StatisticsHalfLifeAttempts);

    /// <summary>What <paramref name="elapsedTicks"/> of time multiply evidence by; 1 when no time (or negative time) passed.</summary>
    public double OverTime(long elapsedTicks) => elapsedTicks <= 0 ? 1 : Math.Exp(elapsedTicks * _lnFactorPerTick);

    /// <summary>
    /// The total weight of <paramref name="attempts"/> attempts in a row just after the last of them:
    /// 1 + r + r² + ... = (1 - r^n) / (1 - r), never more than 1 / (1 - r) however many there were.
    /// </summary>
    public double WeightOf(long attempts) => attempts <= 0 ? 0 : (1 - Math.Pow(PerAttempt, attempts)) / (1 - PerAttempt);
}
