using System.Globalization;
using System.Text;
using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Reporting;

/// <summary>Writes the run as Markdown: the table, where the calls went, the goals, and each competitor's notes.</summary>
internal static class MarkdownReport
{
    public static string Write(RunFacts facts, IReadOnlyList<CompetitorReport> reports, IReadOnlyList<Goal> goals)
    {
        var md = new StringBuilder();
        Line(md, $"Chaos run {facts.StartedAt:yyyy-MM-dd HH:mm} UTC: `{facts.Command}`");
        Line(md, $"({facts.Callers} callers for {facts.Duration.TotalSeconds:0.#} s per competitor, per-call deadline {facts.Deadline.TotalSeconds:0.#} s, seed {facts.Seed}, limited at {facts.RateLimitPerSecond}/s;");
        Line(md, $"primary down {facts.OutageStart.TotalSeconds:0.#}–{facts.OutageEnd.TotalSeconds:0.#} s of each run; {Environment.ProcessorCount} cores, load average {facts.LoadBefore} before → {facts.LoadAfter} after)");
        md.AppendLine();
        md.AppendLine("| competitor | success | p50 | p95 | p99 | calls | served | requests/call | to primary while down | 429s | back to primary |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in reports)
        {
            Line(md, $"| {r.Name} | {r.SuccessPercent:0.00} % | {r.P50Ms:0.0} ms | {r.P95Ms:0.0} ms | {r.P99Ms:0.0} ms | {r.Calls} | {r.Served} | {r.RequestsPerCall:0.00} | {r.PrimaryRequestsWhileDown} | {r.TooManyRequests} | {GoalCheck.Format(r.BackToPrimary)} |");
        }

        md.AppendLine();
        md.AppendLine("Where the calls went (requests each provider received / calls it served; failures by reason):");
        md.AppendLine();
        md.Append("| competitor |");
        foreach (var provider in ProviderSpec.All)
        {
            md.Append(CultureInfo.InvariantCulture, $" {provider.Name} |");
        }

        md.AppendLine(" primary's share after recovery | failures |");
        md.Append("|---|");
        md.Append(string.Concat(Enumerable.Repeat("---:|", ProviderSpec.All.Count)));
        md.AppendLine("---:|---|");
        foreach (var r in reports)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Name} |");
            foreach (var provider in ProviderSpec.All)
            {
                var requests = r.Providers.FirstOrDefault(p => p.Name == provider.Name)?.Requests ?? 0;
                md.Append(CultureInfo.InvariantCulture, $" {requests} / {r.ServedBy.GetValueOrDefault(provider.Name)} |");
            }

            var failures = r.Failures.Count == 0 ? "none" : string.Join(", ", r.Failures.OrderByDescending(f => f.Value).Select(f => F($"{f.Key} {f.Value}")));
            Line(md, $" {r.PrimaryShareAfterRecovery:P0} | {failures} |");
        }

        md.AppendLine();
        Line(md, $"Calls served in each tenth of the run ({facts.Duration.TotalSeconds / 10:0.##} s; the primary is down in tenths 3–7):");
        md.AppendLine();
        md.Append("| competitor |");
        for (var tenth = 1; tenth <= 10; tenth++)
        {
            md.Append(CultureInfo.InvariantCulture, $" {tenth} |");
        }

        md.AppendLine();
        md.Append("|---|");
        md.AppendLine(string.Concat(Enumerable.Repeat("---:|", 10)));
        foreach (var r in reports)
        {
            Line(md, $"| {r.Name} | {string.Join(" | ", r.ServedPerTenth)} |");
        }

        md.AppendLine();
        md.AppendLine("Goals (issue 10, \"Proof, measured\"):");
        md.AppendLine();
        foreach (var goal in goals)
        {
            Line(md, $"- **{goal.Verdict}**: {goal.Text}");
        }

        foreach (var r in reports.Where(r => r.Notes.Count > 0))
        {
            md.AppendLine();
            Line(md, $"Notes, {r.Name}:");
            md.AppendLine();
            foreach (var note in r.Notes)
            {
                Line(md, $"- {note}");
            }
        }

        return md.ToString();
    }

    private static void Line(StringBuilder md, FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
