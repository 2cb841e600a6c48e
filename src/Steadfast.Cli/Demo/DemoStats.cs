namespace Steadfast.Cli.Demo;

/// <summary>What the demo's calls did, gathered from their <see cref="ResilienceResult{T}"/>s; thread-safe.</summary>
internal sealed class DemoStats
{
    private readonly Lock _lock = new();
    private readonly List<double> _successMilliseconds = [];
    private readonly Dictionary<string, int> _wins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _stops = new(StringComparer.Ordinal);
    private int _calls;
    private int _succeeded;
    private int _attempts;
    private int _failedAttempts;
    private int _circuitSkips;
    private int _blacklistSkips;
    private decimal _cost;

    public void Add(ResilienceResult<string> result)
    {
        int attempts = 0, failed = 0, circuit = 0, blacklist = 0;
        foreach (var a in result.Attempts)
        {
            switch (a.Outcome)
            {
                case AttemptOutcome.Skipped when a.SkipReason == SkipReasons.CircuitOpen:
                    circuit++;
                    break;
                case AttemptOutcome.Skipped when a.SkipReason?.StartsWith(SkipReasons.BlacklistedPrefix, StringComparison.Ordinal) == true:
                    blacklist++;
                    break;
                case AttemptOutcome.Skipped:
                    break;
                case AttemptOutcome.Failed:
                    attempts++;
                    failed++;
                    break;
                default:
                    attempts++;
                    break;
            }
        }

        lock (_lock)
        {
            _calls++;
            _attempts += attempts;
            _failedAttempts += failed;
            _circuitSkips += circuit;
            _blacklistSkips += blacklist;
            _cost += result.Cost;
            if (result.Success)
            {
                _succeeded++;
                _successMilliseconds.Add(result.Duration.TotalMilliseconds);
                var winner = result.StrategyUsed ?? "?";
                _wins[winner] = _wins.GetValueOrDefault(winner) + 1;
            }
            else
            {
                var reason = result.StopReason.ToString();
                _stops[reason] = _stops.GetValueOrDefault(reason) + 1;
            }
        }
    }

    public DemoTotals Snapshot()
    {
        lock (_lock)
        {
            var sorted = _successMilliseconds.ToArray();
            Array.Sort(sorted);
            return new DemoTotals(
                _calls, _succeeded, _attempts, _failedAttempts, _circuitSkips, _blacklistSkips, _cost,
                Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99),
                new SortedDictionary<string, int>(_wins, StringComparer.Ordinal),
                new SortedDictionary<string, int>(_stops, StringComparer.Ordinal));
        }
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 when there are none.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>The demo's totals at one moment.</summary>
internal sealed record DemoTotals(
    int Calls,
    int Succeeded,
    int Attempts,
    int FailedAttempts,
    int CircuitSkips,
    int BlacklistSkips,
    decimal Cost,
    double P50Milliseconds,
    double P95Milliseconds,
    double P99Milliseconds,
    IReadOnlyDictionary<string, int> Wins,
    IReadOnlyDictionary<string, int> FailedBy)
{
    public int Failed => Calls - Succeeded;

    public double SuccessRate => Calls == 0 ? 0 : (double)Succeeded / Calls;

    public double AttemptsPerSuccess => Succeeded == 0 ? 0 : (double)Attempts / Succeeded;

    public double WastedAttemptsPerCall => Calls == 0 ? 0 : (double)FailedAttempts / Calls;
}
