using Steadfast.Chaos.Load;
using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Reporting;

/// <summary>The figures of one competitor's run.</summary>
internal sealed record CompetitorReport(
    string Name,
    int Calls,
    int Served,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    long Requests,
    long PrimaryRequestsWhileDown,
    long TooManyRequests,
    TimeSpan? BackToPrimary,
    double PrimaryShareAfterRecovery,
    IReadOnlyList<ProviderTally> Providers,
    IReadOnlyDictionary<string, int> ServedBy,
    IReadOnlyDictionary<string, int> Failures,
    IReadOnlyList<int> ServedPerTenth,
    IReadOnlyList<string> Notes)
{
    /// <summary>The window in which the primary must serve most calls to count as back.</summary>
    public static TimeSpan RecoveryWindow { get; } = TimeSpan.FromSeconds(1);

    /// <summary>How far apart the windows start.</summary>
    public static TimeSpan RecoveryStep { get; } = TimeSpan.FromMilliseconds(50);

    public double SuccessPercent => Calls == 0 ? 0 : 100.0 * Served / Calls;

    public double RequestsPerCall => Calls == 0 ? 0 : (double)Requests / Calls;

    public static CompetitorReport From(RunResult run)
    {
        var latencies = run.Calls.Select(c => c.Latency.TotalMilliseconds).Order().ToArray();
        var served = run.Calls.Where(c => c.Success).ToArray();
        var afterRecovery = served.Where(c => c.Ended >= run.OutageEnd).ToArray();
        return new CompetitorReport(
            run.Competitor,
            run.Calls.Count,
            served.Length,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95),
            Percentile(latencies, 0.99),
            run.Providers.Sum(p => p.Requests),
            run.Providers.Where(p => p.Name == ProviderSpec.PrimaryName).Sum(p => p.RequestsWhileDown),
            run.Providers.Sum(p => p.RateLimited),
            BackToPrimaryAfter(afterRecovery, run.OutageEnd, run.Duration),
            afterRecovery.Length == 0 ? 0 : (double)afterRecovery.Count(IsPrimary) / afterRecovery.Length,
            run.Providers,
            served.GroupBy(c => c.ServedBy ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            run.Calls.Where(c => !c.Success).GroupBy(c => c.Failure ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            ServedPerTenthOf(served, run.Duration),
            run.Notes);
    }

    /// <summary>Calls served in each tenth of the run (by when they ended; the last tenth keeps the calls still finishing).</summary>
    private static int[] ServedPerTenthOf(CallRecord[] served, TimeSpan duration)
    {
        var tenths = new int[10];
        foreach (var call in served)
        {
            tenths[Math.Clamp((int)(call.Ended / duration * 10), 0, 9)]++;
        }

        return tenths;
    }

    // Nearest rank: the smallest latency with at least p of the calls at or below it.
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static bool IsPrimary(CallRecord call) => call.ServedBy == ProviderSpec.PrimaryName;

    /// <summary>
    /// The start (from the recovery) of the first 1-second window, windows starting every 50 ms from the recovery, in
    /// which the primary served more than half of the successful calls that ended in it; <see langword="null"/> when no
    /// window starting before the end of the load qualifies (the last windows hold the calls still finishing then).
    /// </summary>
    private static TimeSpan? BackToPrimaryAfter(CallRecord[] servedAfterRecovery, TimeSpan recovery, TimeSpan end)
    {
        for (var offset = TimeSpan.Zero; recovery + offset < end; offset += RecoveryStep)
        {
            var from = recovery + offset;
            var to = from + RecoveryWindow;
            var inWindow = 0;
            var primary = 0;
            foreach (var call in servedAfterRecovery)
            {
                if (call.Ended >= from && call.Ended < to)
                {
                    inWindow++;
                    primary += IsPrimary(call) ? 1 : 0;
                }
            }

            if (inWindow > 0 && primary * 2 > inWindow)
            {
                return offset;
            }
        }

        return null;
    }
}
