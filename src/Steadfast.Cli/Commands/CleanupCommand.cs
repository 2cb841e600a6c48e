using System.CommandLine;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary><c>steadfast cleanup --days 30</c>: the retention job to run weekly from cron.</summary>
internal static class CleanupCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var days = new Option<int>("--days")
        {
            Description = $"Delete failures older than this many days ({FailureRetention.MinDays}-{FailureRetention.MaxDays}; the last day is always kept)",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("cleanup", "Delete old failure records (run weekly, e.g. from cron)") { days };
        command.SetAction(async (parse, ct) =>
        {
            var keep = parse.GetValue(days);
            if (keep is < FailureRetention.MinDays or > FailureRetention.MaxDays)
            {
                // The library's rule (FailureRetention), said for the command line: a cleanup never deletes everything.
                throw CliException.Usage($"--days must be between {FailureRetention.MinDays} and {FailureRetention.MaxDays}; was {keep}. A cleanup keeps at least the last day.");
            }

            await using var store = StoreAccess.WriteFailures(globals.Store(parse), mayCreate: false, context.TimeProvider);
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
