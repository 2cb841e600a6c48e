using System.Globalization;
using Spectre.Console;

namespace Steadfast.Cli.Demo;

/// <summary>Renders the demo's final report as tables. Every figure comes from the report, so what it prints reconciles.</summary>
internal static class DemoRenderer
{
    public static void Render(IAnsiConsole console, DemoReport r)
    {
        var t = r.Totals;
        console.Write(new Rule("[bold]Steadfast demo report[/]").LeftJustified());
        console.MarkupLineInterpolated(
            $"{DemoFormat.Span(TimeSpan.FromSeconds(r.ElapsedSeconds))} of '{DemoScenario.Operation}' ({DemoHistory.ModeName(r.Mode)}, {r.Concurrency} concurrent callers, seed {r.Seed}{(r.VirtualTime ? ", virtual time" : string.Empty)}), {DemoFormat.Time(r.StartedAt)} to {DemoFormat.Time(r.FinishedAt)}{(r.Interrupted ? " - interrupted, report so far" : string.Empty)}");
        if (r.Fresh is { } fresh)
        {
            if (fresh.Deleted.Count == 0)
            {
                console.MarkupLine("--fresh: there was no database to delete.");
            }
            else
            {
                console.MarkupLineInterpolated($"--fresh: deleted the Steadfast database {string.Join(", ", fresh.Deleted.Select(f => $"'{f}'"))}.");
            }
        }

        if (r.Persistence is { Degraded: true, Reason: var reason })
        {
            console.MarkupLineInterpolated($"[yellow]persistence degraded: {reason}[/] The run went on in memory: its figures are complete, what it learned is not all on disk.");
        }

        console.WriteLine();
        RenderLearning(console, r);
        console.WriteLine();
        console.Write(Summary(r));
        console.Write(Strategies(r));
        console.MarkupLineInterpolated($"[bold]What the providers saw:[/] {string.Join("; ", r.Providers.Select(ProviderText))}.");
        RenderThisRun(console, r.ThisRun);
        if (r.Health is { } health)
        {
            Health.DemoHealthRenderer.Render(console, health);
        }

        if (r.Blacklist.Count > 0)
        {
            var blacklist = new Table().Title("Blacklisted now").AddColumns("Strategy", "Reason", "Expires (UTC)");
            foreach (var e in r.Blacklist)
            {
                blacklist.AddRow(
                    Markup.Escape(e.StrategyName),
                    Markup.Escape($"{DemoFormat.LibraryText(e.Reason)} (since {DemoFormat.Time(e.AddedAt)})"),
                    e.ExpiresAt is { } expires ? DemoFormat.Time(expires) : "when removed");
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

    private static void RenderLearning(IAnsiConsole console, DemoReport r)
    {
        if (r.StartedFrom is not { } prior)
        {
            console.MarkupLine("[bold aqua]Learning:[/] started fresh. Run the demo again: the next run starts from what this one learned.");
            return;
        }

        var circuits = prior.RestoredCircuits.Count == 0
            ? string.Empty
            : $" ({string.Join(", ", prior.RestoredCircuits.Select(c => $"{ShortName(c.Name)} {StateText(c.State)}{(c.OpenUntil is { } until ? $" until {DemoFormat.Time(until)}" : string.Empty)}"))})";
        var blacklisted = prior.Blacklist.Count == 0
            ? "none"
            : string.Join(", ", prior.Blacklist.Select(e => $"{e.StrategyName} (until {(e.ExpiresAt is { } x ? DemoFormat.Time(x) : "removed")})"));
        console.MarkupLineInterpolated(
            $"[bold aqua]Learning:[/] started from what earlier runs learned: {prior.FailuresOnRecord} failures on record, statistics for {prior.StrategiesWithStatistics} strategies, {prior.CircuitsRestored} circuit(s) restored{circuits}, blacklisted: {blacklisted}.");

        if (prior.PreviousRun is not { } before)
        {
            return;
        }

        var t = r.Totals;
        console.MarkupLineInterpolated(
            $"[bold aqua]Previous run[/] ({DemoFormat.Time(before.FinishedAt)}, {before.Mode}{(before.DurationSeconds is { } d ? ", " + DemoFormat.Span(TimeSpan.FromSeconds(d)) : string.Empty)}, seed {before.Seed}) [bold aqua]-> this run:[/] calls served {before.Calls} -> {t.Calls}, succeeded {before.SuccessRate:P1} -> {t.SuccessRate:P1}, p50 {DemoFormat.Milliseconds(before.P50Milliseconds)} -> {DemoFormat.Milliseconds(t.P50Milliseconds)} ms, p95 {DemoFormat.Milliseconds(before.P95Milliseconds)} -> {DemoFormat.Milliseconds(t.P95Milliseconds)} ms, wasted attempts per call {before.WastedAttemptsPerCall:0.00} -> {t.WastedAttemptsPerCall:0.00}, attempts per success {before.AttemptsPerSuccess:0.00} -> {t.AttemptsPerSuccess:0.00}.");
        if (before.Pattern is { } pattern)
        {
            console.MarkupLineInterpolated($"[bold aqua]Previous run's failures:[/] pattern {pattern}{(before.RootCause is { } cause ? $"; root cause: {cause}" : string.Empty)}.");
        }
    }

    private static Table Summary(DemoReport r)
    {
        var t = r.Totals;
        var summary = new Table().HideHeaders().AddColumns("", "");
        summary.AddRow("Calls", Count(t.Calls));
        summary.AddRow("Succeeded", $"{t.Succeeded} ({t.SuccessRate:P1})");
        if (t.Failed > 0)
        {
            summary.AddRow("Failed calls, stopped by", $"{t.Failed}: {string.Join(", ", t.FailedBy.Select(p => $"{p.Key} {p.Value}"))}");
        }

        summary.AddRow("Time to success p50 / p95 / p99", $"{t.P50Milliseconds:0} / {t.P95Milliseconds:0} / {t.P99Milliseconds:0} ms");
        summary.AddRow("Attempts (sent to providers)", $"{t.Attempts}: {t.SucceededAttempts} succeeded, {t.FailedAttempts} failed, {t.CancelledAttempts} cancelled");
        summary.AddRow("Attempts per success", $"{t.AttemptsPerSuccess:0.00}");
        summary.AddRow(
            "Wasted (failed) attempts",
            $"{t.FailedAttempts} ({t.WastedAttemptsPerCall:0.00} per call){(t.RateLimitedAttempts > 0 ? $", {t.RateLimitedAttempts} of them rate limited" : string.Empty)}");
        if (r.Mode != ExecutionMode.Sequential || t.CancelledAttempts > 0)
        {
            summary.AddRow(
                "Cancelled attempts (not wasted)",
                $"{t.CancelledAttempts} ({t.CancelledAttemptsPerCall:0.00} per call): {t.CancelledLostRace} lost the race to a faster strategy, {t.CancelledOther} cut by the deadline or Ctrl+C");
        }

        summary.AddRow("Calls circuits saved", $"{t.CallsWithCircuitSkip} of {t.Calls} calls skipped an open circuit ({t.CircuitSkips} skips)");
        summary.AddRow("Calls that skipped a blacklisted", $"{t.CallsWithBlacklistSkip} of {t.Calls} calls ({t.BlacklistSkips} skips)");
        summary.AddRow("Cost", string.Create(CultureInfo.InvariantCulture, $"${t.Cost:0.000}"));
        summary.AddRow("Failures on record", r.FailuresOnRecord is { } onRecord
            ? $"+{onRecord.AddedByThisRun} this run{(onRecord.CutUnansweredTotal > 0 ? $" ({t.FailedAttempts} failed attempts and {onRecord.CutUnansweredTotal} racers cut unanswered, recorded as timeouts)" : string.Empty)}, {onRecord.Total} in total"
            : "not known: persistence degraded");
        return summary;
    }

    private static Table Strategies(DemoReport r)
    {
        var table = new Table().Title("Per strategy: this run, and what the engine learned over all runs")
            .AddColumns("Strategy", "Wins", "Attempts (ok, failed, cancelled)", "Skips (circuit, blacklist)", "Learned (all runs)", "Circuit now");
        foreach (var s in r.Totals.Strategies)
        {
            var learned = r.Learned.FirstOrDefault(x => x.StrategyName == s.Strategy);
            var circuit = r.Circuits.FirstOrDefault(c => c.Name == DemoScenario.CircuitName(s.Strategy));
            table.AddRow(
                Markup.Escape(s.Strategy),
                Count(s.Wins),
                $"{s.Attempts} ({s.Succeeded}/{s.Failed}/{s.Cancelled})",
                $"{s.CircuitSkips}/{s.BlacklistSkips}",
                learned is null || learned.Attempts == 0
                    ? "-"
                    : $"{learned.SuccessRate:P0} of {learned.Attempts}{(learned.Successes == 0 ? string.Empty : ", " + DemoFormat.Span(learned.MeanLatency))}",
                circuit is null ? "-" : StateMarkup(circuit.State));
        }

        return table;
    }

    private static void RenderThisRun(IAnsiConsole console, RunAnalysis run)
    {
        if (run.RootCause is not { } cause)
        {
            console.MarkupLine("[bold]This run:[/] no failed attempts.");
            return;
        }

        var others = run.OtherCauses.Count == 0 ? string.Empty : $"; also {string.Join("; ", run.OtherCauses.Select(c => c.Description))}";
        console.MarkupLineInterpolated(
            $"[bold]This run:[/] pattern {run.Pattern} (in this run's {run.FailuresAnalysed} recorded failures). [bold]Root cause:[/] {cause.Description}{others}.");
        foreach (var recommendation in run.Recommendations)
        {
            console.MarkupLineInterpolated($"  - {recommendation}");
        }
    }

    private static string ProviderText(ProviderReport p)
    {
        var c = p.Counts;
        var parts = new List<string>();
        if (c.RequestsWhileDown > 0)
        {
            parts.Add($"{c.RequestsWhileDown} during its outage, refused");
        }

        if (c.ServerErrors > 0)
        {
            parts.Add($"{c.ServerErrors} answered 503");
        }

        if (c.RateLimited > 0)
        {
            parts.Add($"{c.RateLimited} answered 429");
        }

        if (c.Abandoned > 0)
        {
            parts.Add($"{c.Abandoned} abandoned by the caller");
        }

        return $"{p.Name} {c.Requests} requests{(parts.Count == 0 ? string.Empty : $" ({string.Join(", ", parts)})")}";
    }

    private static string ShortName(string circuit) => circuit.StartsWith(DemoScenario.Operation + "/", StringComparison.Ordinal) ? circuit[(DemoScenario.Operation.Length + 1)..] : circuit;

    private static string StateText(CircuitState state) => state switch
    {
        CircuitState.HalfOpen => "half-open",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
