namespace Steadfast.Cli.Demo;

/// <summary>
/// What the demo's calls did, counted from their <see cref="ResilienceResult{T}"/>s (the engine's own record of every
/// attempt); thread-safe. Every figure of the report comes from here, so they add up: attempts = succeeded + failed +
/// cancelled attempts, the strategies' rows sum to the totals, the failure causes sum to the failed attempts.
/// </summary>
internal sealed class DemoStats
{
    private readonly Lock _lock = new();
    private readonly List<double> _successMilliseconds = [];
    private readonly Dictionary<string, StrategyCounter> _strategies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _stops = new(StringComparer.Ordinal);
    private readonly Dictionary<(ErrorCategory Category, int? Status, string Strategy), int> _failures = [];
    private int _calls;
    private int _succeeded;
    private int _callsWithCircuitSkip;
    private int _callsWithBlacklistSkip;
    private decimal _cost;

    public DemoStats(IEnumerable<string> strategies)
    {
        foreach (var name in strategies)
        {
            _strategies[name] = new StrategyCounter();
        }
    }

    public void Add(ResilienceResult<string> result)
    {
        lock (_lock)
        {
            _calls++;
            _cost += result.Cost;
            bool circuitSkip = false, blacklistSkip = false;
            foreach (var a in result.Attempts)
            {
                var s = Counter_NeedsLock(a.Strategy);
                switch (a.Outcome)
                {
                    case AttemptOutcome.Skipped when a.SkipReason == SkipReasons.CircuitOpen:
                        s.CircuitSkips++;
                        circuitSkip = true;
                        break;
                    case AttemptOutcome.Skipped when a.SkipReason?.StartsWith(SkipReasons.BlacklistedPrefix, StringComparison.Ordinal) == true:
                        s.BlacklistSkips++;
                        blacklistSkip = true;
                        break;
                    case AttemptOutcome.Skipped:
                        s.OtherSkips++;
                        break;
                    case AttemptOutcome.Failed:
                        s.Failed++;
                        var status = a.Error is { } e && ErrorClassifier.TryGetStatusCode(e, out var code) ? code : (int?)null;
                        var key = (a.Error is { } error ? ErrorClassifier.Classify(error) : ErrorCategory.Unknown, status, a.Strategy);
                        _failures[key] = _failures.GetValueOrDefault(key) + 1;
                        break;
                    case AttemptOutcome.Cancelled when a.SkipReason == SkipReasons.LostTheRace:
                        s.LostRace++;
                        break;
                    case AttemptOutcome.Cancelled:
                        s.Cut++;
                        break;
                    default:
                        s.Succeeded++;
                        break;
                }
            }

            _callsWithCircuitSkip += circuitSkip ? 1 : 0;
            _callsWithBlacklistSkip += blacklistSkip ? 1 : 0;
            if (result.Success)
            {
                _succeeded++;
                _successMilliseconds.Add(result.Duration.TotalMilliseconds);
                Counter_NeedsLock(result.StrategyUsed ?? "?").Wins++;
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
            var strategies = _strategies.Values.ToList();
            return new DemoTotals
            {
                Calls = _calls,
                Succeeded = _succeeded,
                Attempts = strategies.Sum(s => s.Attempts),
                SucceededAttempts = strategies.Sum(s => s.Succeeded),
                FailedAttempts = strategies.Sum(s => s.Failed),
                RateLimitedAttempts = _failures.Where(f => f.Key.Category == ErrorCategory.RateLimited).Sum(f => f.Value),
                CancelledLostRace = strategies.Sum(s => s.LostRace),
                CancelledOther = strategies.Sum(s => s.Cut),
                CallsWithCircuitSkip = _callsWithCircuitSkip,
                CircuitSkips = strategies.Sum(s => s.CircuitSkips),
                CallsWithBlacklistSkip = _callsWithBlacklistSkip,
                BlacklistSkips = strategies.Sum(s => s.BlacklistSkips),
                Cost = _cost,
                P50Milliseconds = Percentile(sorted, 0.50),
                P95Milliseconds = Percentile(sorted, 0.95),
                P99Milliseconds = Percentile(sorted, 0.99),
                FailedBy = new SortedDictionary<string, int>(_stops, StringComparer.Ordinal),
                Strategies = [.. _strategies.Select(p => p.Value.ToRow(p.Key))],
                FailureCauses = [.. _failures
                    .Select(f => new FailureCause(f.Key.Category, f.Key.Status, f.Key.Strategy, f.Value))
                    .OrderByDescending(f => f.Count).ThenBy(f => f.Strategy, StringComparer.Ordinal).ThenBy(f => f.Category)],
            };
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

    private StrategyCounter Counter_NeedsLock(string strategy)
    {
        if (!_strategies.TryGetValue(strategy, out var counter))
        {
            counter = _strategies[strategy] = new StrategyCounter();
        }

        return counter;
    }

    private sealed class StrategyCounter
    {
        public int Succeeded { get; set; }

        public int Failed { get; set; }

        public int LostRace { get; set; }

        public int Cut { get; set; }

        public int Wins { get; set; }

        public int CircuitSkips { get; set; }

        public int BlacklistSkips { get; set; }

        public int OtherSkips { get; set; }

        public int Attempts => Succeeded + Failed + LostRace + Cut;

        public StrategyTotals ToRow(string name) =>
            new(name, Attempts, Succeeded, Failed, LostRace + Cut, Wins, CircuitSkips, BlacklistSkips, OtherSkips);
    }
}
