using System.Globalization;
using Spectre.Console;

namespace Steadfast.Cli.Demo.Health;

/// <summary>The report's "Health" section: the mode changes, then a table of the components.</summary>
internal static class DemoHealthRenderer
{
    public static void Render(IAnsiConsole console, DemoHealthReport health)
    {
        console.MarkupLine($"[bold]Health:[/] mode now {DemoLiveView.ModeMarkup(health.Mode)}; checked every {DemoHealth.CheckInterval.TotalSeconds:0} s.");
        if (health.Transitions.Count == 0)
        {
            console.MarkupLine("The mode did not change during the run.");
        }

        foreach (var t in health.Transitions)
        {
            var why = t.Reasons.Count == 0 ? string.Empty : " (" + Markup.Escape(string.Join("; ", t.Reasons)) + ")";
            console.MarkupLine($"  {DemoFormat.Time(t.At)}  {DemoLiveView.ModeMarkup(t.From)} -> {DemoLiveView.ModeMarkup(t.To)}{why}");
        }

        foreach (var c in health.ComponentChanges)
        {
            var why = c.Description is null ? string.Empty : " (" + Markup.Escape(c.Description) + ")";
            console.MarkupLine($"  {DemoFormat.Time(c.At)}  {Markup.Escape(c.Component)} {DemoLiveView.StatusMarkup(c.From)} -> {DemoLiveView.StatusMarkup(c.To)}{why}");
        }

        var table = new Table().Title("Components").AddColumns("Component", "Status", "Latency", "Why");
        foreach (var c in health.Components)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                DemoLiveView.StatusMarkup(c.Status),
                c.LatencyMs.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
                Markup.Escape(c.Description ?? string.Empty));
        }

        console.Write(table);
    }
}
