using System.CommandLine;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary><c>steadfast cleanup --days 30</c>: the retention job to run weekly from cron.</summary>
internal static class CleanupCommand
{
    public const int MaxDays = 36_500;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var days = new Option<int>("--days") { Description = $"Delete failures older than this many days (1-{MaxDays})", DefaultValueFactory = _ => 30 };
        var command = new Command("cleanup", "Delete old failure records (run weekly, e.g. from cron)") { days };
        command.SetAction(async (parse, ct) =>
        {
            var keep = parse.GetValue(days);
            if (keep is < 1 or > MaxDays)
            {
                throw CliException.Usage($"--days must be between 1 and {MaxDays}; was {keep}.");
            }

            await using var store = StoreAccess.OpenFailures(parse.GetValue(globals.Database)!, mayCreate: false, context.TimeProvider);
            var deleted = await store.CleanupOldFailuresAsync(keep, ct);
            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(new { deleted, days = keep });
            }
            else
            {
                context.Console.MarkupLineInterpolated($"Deleted {deleted} failure record(s) older than {keep} day(s).");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
