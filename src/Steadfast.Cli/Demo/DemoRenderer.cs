using System.Globalization;
using Spectre.Console;

namespace Steadfast.Cli.Demo;

/// <summary>Renders the demo's final report as tables.</summary>
internal static class DemoRenderer
{
    public static void Render(IAnsiConsole console, DemoReport r)
    {
        var t = r.Totals;
        console.Write(new Rule("[bold]Steadfast demo report[/]").LeftJustified());
        console.MarkupLineInterpolated(
            $"{r.ElapsedSeconds:0.0}s of '{DemoScenario.Operation}' ({(r.Parallel ? "parallel race" : "sequential")}, {r.Concurrency} concurrent callers, seed {r.Seed}){(r.Interrupted ? " - interrupted, report so far" : string.Empty)}");
        console.WriteLine();

        if (r.StartedFrom is { } prior)
        {
            console.MarkupLineInterpolated(
                $"[bold aqua]Learning:[/] started from what earlier runs learned: {prior.FailuresOnRecord} failures on record, statistics for {prior.StrategiesWithStatistics} strategies, {prior.CircuitsRestored} circuit(s) restored, blacklisted: {(prior.BlacklistedStrategies.Count == 0 ? "none" : string.Join(", ", prior.BlacklistedStrategies))}.");
            if (prior.PreviousRun is { } before)
            {
                console.MarkupLineInterpolated(
                    $"[bold aqua]Compared with the previous run:[/] wasted attempts per call {before.WastedAttemptsPerCall:0.00} -> {t.WastedAttemptsPerCall:0.00}, attempts per success {Ratio(before.Attempts, before.Succeeded):0.00} -> {t.AttemptsPerSuccess:0.00}, p50 {before.P50Milliseconds:0} ms -> {t.P50Milliseconds:0} ms.");
            }
        }
        else
        {
            console.MarkupLine("[bold aqua]Learning:[/] started fresh. Run the demo again: the next run starts from what this one learned.");
        }

        console.WriteLine();
        var summary = new Table().HideHeaders().AddColumns("", "");
        summary.AddRow("Calls", t.Calls.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("Succeeded", $"{t.Succeeded} ({t.SuccessRate:P1})");
        summary.AddRow("Time to success p50 / p95 / p99", $"{t.P50Milliseconds:0} / {t.P95Milliseconds:0} / {t.P99Milliseconds:0} ms");
        summary.AddRow("Attempts per success", $"{t.AttemptsPerSuccess:0.00}");
        summary.AddRow("Wasted (failed) attempts", $"{t.FailedAttempts} ({t.WastedAttemptsPerCall:0.00} per call)");
        summary.AddRow("Calls circuits saved from a dead provider", t.CircuitSkips.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("Skipped as blacklisted", t.BlacklistSkips.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("Cost", $"${t.Cost:0.000}");
        if (t.FailedBy.Count > 0)
        {
            summary.AddRow("Failed calls stopped by", string.Join(", ", t.FailedBy.Select(p => $"{p.Key} {p.Value}")));
        }

        console.Write(summary);

        var wins = new Table().Title("Wins per strategy and what the engine learned")
            .AddColumns("Strategy", "Wins", "Learned success rate", "Mean latency", "Circuit");
        foreach (var p in DemoScenario.Providers)
        {
            var s = r.Statistics.FirstOrDefault(x => x.StrategyName == p.Name);
            var circuit = r.Circuits.FirstOrDefault(c => c.Name == $"{DemoScenario.Operation}/{p.Name}");
            wins.AddRow(
                p.Name,
                t.Wins.GetValueOrDefault(p.Name).ToString(CultureInfo.InvariantCulture),
                s is null || s.Attempts == 0 ? "-" : $"{(double)s.Successes / s.Attempts:P0} of {s.Attempts}",
                s is null || s.Successes == 0 ? "-" : $"{s.MeanLatency.TotalMilliseconds:0} ms",
                StateMarkup(circuit?.State ?? CircuitState.Closed));
        }

        console.Write(wins);

        console.MarkupLineInterpolated($"[bold]Pattern:[/] {r.Pattern}   [bold]Root cause:[/] {r.RootCause.Category} - {r.RootCause.Description}");
        foreach (var recommendation in r.Recommendations)
        {
            console.MarkupLineInterpolated($"  - {recommendation}");
        }

        if (r.Blacklist.Count > 0)
        {
            var blacklist = new Table().Title("Blacklisted now").AddColumns("Strategy", "Reason", "Expires (UTC)");
            foreach (var e in r.Blacklist)
            {
                blacklist.AddRow(Markup.Escape(e.StrategyName), Markup.Escape(e.Reason), e.ExpiresAt?.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "never");
            }

            console.Write(blacklist);
        }

        console.MarkupLine("Explore what was recorded: [bold]steadfast analytics[/], [bold]steadfast failures[/], [bold]steadfast blacklist list[/], [bold]steadfast circuits list[/].");
    }

    public static string StateMarkup(CircuitState state) => state switch
    {
        CircuitState.Closed => "[green]closed[/]",
        CircuitState.HalfOpen => "[yellow]half-open[/]",
        CircuitState.Open => "[red]open[/]",
        _ => "[red]isolated[/]",
    };

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;
}
