using System.Globalization;
using Steadfast.Chaos.Competitors;

namespace Steadfast.Chaos.Reporting;

/// <summary>
/// The goals of issue 10 ("Proof, measured"), computed from the run: Steadfast sequential against the best Polly
/// competitor (the higher success rate, then more calls served), and Steadfast hedged against Steadfast race.
/// </summary>
internal static class GoalCheck
{
    public static IReadOnlyList<Goal> Check(IReadOnlyList<CompetitorReport> reports)
    {
        var byName = reports.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var sequential = byName.GetValueOrDefault(CompetitorCatalog.SteadfastSequential);
        var race = byName.GetValueOrDefault(CompetitorCatalog.SteadfastRace);
        var hedged = byName.GetValueOrDefault(CompetitorCatalog.SteadfastHedged);
        var best = reports
            .Where(r => CompetitorCatalog.PollyNames.Contains(r.Name))
            .OrderByDescending(r => r.SuccessPercent)
            .ThenByDescending(r => r.Served)
            .FirstOrDefault();

        var goals = new List<Goal>();
        if (sequential is null)
        {
            goals.Add(new Goal(null, "Steadfast sequential goals: steadfast-sequential did not run."));
        }
        else
        {
            var failed = sequential.Calls - sequential.Served;
            goals.Add(new Goal(failed == 0, F($"Steadfast sequential succeeds on 100 % of calls while any provider lives (the slow one always does): {sequential.SuccessPercent:0.00} % ({failed} of {sequential.Calls} failed{Missed(failed > 0, F($"; missed by {100 - sequential.SuccessPercent:0.00} points"))})")));
            if (best is null)
            {
                goals.Add(new Goal(null, "Steadfast sequential against the best Polly competitor: no Polly competitor ran."));
            }
            else
            {
                goals.AddRange(AgainstBestPolly(sequential, best));
            }
        }

        if (hedged is null || race is null)
        {
            goals.Add(new Goal(null, "Hedged against race: steadfast-hedged and steadfast-race must both run."));
        }
        else
        {
            var p99Ratio = Ratio(hedged.P99Ms, race.P99Ms);
            goals.Add(new Goal(p99Ratio <= 1.1, F($"Steadfast hedged p99 within 1.1× of race's: {hedged.P99Ms:0.0} ms against {race.P99Ms:0.0} ms = {p99Ratio:0.00}×")));
            goals.Add(new Goal(hedged.RequestsPerCall <= 1.15, F($"Steadfast hedged sends at most 1.15 requests per call: {hedged.RequestsPerCall:0.00}{Missed(hedged.RequestsPerCall > 1.15, F($" (missed by {hedged.RequestsPerCall / 1.15 - 1:P0})"))}")));
        }

        return goals;
    }

    private static IEnumerable<Goal> AgainstBestPolly(CompetitorReport s, CompetitorReport best)
    {
        var b = best.Name;
        yield return new Goal(s.SuccessPercent >= best.SuccessPercent,
            F($"Steadfast sequential succeeds at least as often as {b}: {s.SuccessPercent:0.00} % against {best.SuccessPercent:0.00} %"));

        var deadRatio = Ratio(s.PrimaryRequestsWhileDown, best.PrimaryRequestsWhileDown);
        yield return new Goal(s.PrimaryRequestsWhileDown * 2 <= best.PrimaryRequestsWhileDown,
            F($"Steadfast sequential sends at most half the requests {b} sends to the dead primary: {s.PrimaryRequestsWhileDown} against {best.PrimaryRequestsWhileDown} = {deadRatio:0.00}× (goal ≤ 0.50×)"));

        yield return new Goal(s.Served >= best.Served,
            F($"Steadfast sequential completes at least as many calls as {b}: {s.Served} against {best.Served}{Missed(s.Served < best.Served, F($" (missed by {1 - Ratio(s.Served, best.Served):P0})"))}"));

        var p95Ratio = Ratio(s.P95Ms, best.P95Ms);
        yield return new Goal(p95Ratio <= 1.2,
            F($"Steadfast sequential p95 at most 1.2× {b}'s: {s.P95Ms:0.0} ms against {best.P95Ms:0.0} ms = {p95Ratio:0.00}×"));

        bool? back = (s.BackToPrimary, best.BackToPrimary) switch
        {
            (null, null) => false,
            (null, _) => false,
            (_, null) => true,
            ({ } mine, { } theirs) => mine <= theirs,
        };
        yield return new Goal(back,
            F($"Steadfast sequential returns to the recovered primary at least as fast as {b}: {Format(s.BackToPrimary)} against {Format(best.BackToPrimary)}{(s.BackToPrimary is null && best.BackToPrimary is null ? " (neither returned)" : "")}"));
    }

    public static string Format(TimeSpan? back) => back is { } t ? F($"{t.TotalSeconds:0.00} s") : "never";

    private static double Ratio(double mine, double theirs) => theirs == 0 ? (mine == 0 ? 1 : double.PositiveInfinity) : mine / theirs;

    private static string Missed(bool missed, string text) => missed ? text : "";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
