using System.CommandLine;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary><c>steadfast analytics</c>: the seed's failure dashboard. Reads the database read-only.</summary>
internal static class AnalyticsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("analytics", "Failure dashboard: totals, blacklisted strategies, most common errors, problematic operations, last 7 days");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = StoreAccess.ReadFailures(globals.Store(parse), context.TimeProvider);
            var analytics = await store.GetFailureAnalyticsAsync(ct);
            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(analytics);
            }
            else
            {
                Render(context.Console, analytics);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, FailureAnalytics analytics)
    {
        console.Write(new Rule("[bold]Steadfast failure analytics[/]").LeftJustified());
        console.MarkupLineInterpolated($"Total failures: [bold]{analytics.TotalFailures}[/]    Blacklisted strategies: [bold]{analytics.BlacklistedStrategies}[/]");
        console.WriteLine();

        var errors = new Table().Title("Most common errors").AddColumn("Error type").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var e in analytics.MostCommonErrors)
        {
            errors.AddRow(Markup.Escape(e.ErrorType), e.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var operations = new Table().Title("Problematic operations").AddColumn("Operation").AddColumn(new TableColumn("Failures").RightAligned());
        foreach (var o in analytics.ProblematicOperations)
        {
            operations.AddRow(Markup.Escape(o.Operation), o.FailureCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (analytics.TotalFailures == 0)
        {
            console.MarkupLine("[green]No failures recorded.[/]");
        }
        else
        {
            console.Write(errors);
            console.Write(operations);
        }

        var chart = new BarChart().Label("Failures per day (last 7 days)").Width(60);
        foreach (var day in analytics.DailyTrends)
        {
            chart.AddItem(day.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day.Count, Color.Red);
        }

        console.Write(chart);
    }
}
