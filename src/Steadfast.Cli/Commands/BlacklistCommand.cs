using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary><c>steadfast blacklist list | add | remove</c>: review and edit the strategy blacklist (<c>list</c> reads the database read-only).</summary>
internal static class BlacklistCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("blacklist", "Strategies the engine skips: list, add or remove entries");
        command.Subcommands.Add(List(context, globals));
        command.Subcommands.Add(Add(context, globals));
        command.Subcommands.Add(Remove(context, globals));
        return command;
    }

    private static Command List(CliContext context, GlobalOptions globals)
    {
        var includeExpired = new Option<bool>("--all") { Description = "Include expired entries" };
        var command = new Command("list", "List blacklisted strategies") { includeExpired };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = StoreAccess.ReadFailures(globals.Store(parse), context.TimeProvider);
            var entries = (await store.GetBlacklistAsync(parse.GetValue(includeExpired), ct))
                .Select(e => e with { Reason = SecretRedactor.RedactText(e.Reason) }) // entries written before redaction covered every form
                .ToList();
            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(new { count = entries.Count, entries });
                return ExitCodes.Success;
            }

            if (entries.Count == 0)
            {
                context.Console.MarkupLine("[green]No strategy is blacklisted.[/]");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Strategy", "Operation", "Reason", "Failures", "Added (UTC)", "Expires (UTC)", "Kind");
            foreach (var e in entries)
            {
                table.AddRow(
                    Markup.Escape(e.StrategyName),
                    Markup.Escape(e.Operation),
                    Markup.Escape(CellText.Truncate(e.Reason)),
                    e.FailureCount.ToString(CultureInfo.InvariantCulture),
                    Format(e.AddedAt),
                    e.ExpiresAt is { } x ? Format(x) : "never",
                    e.IsAutomatic ? "automatic" : "manual");
            }

            context.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Add(CliContext context, GlobalOptions globals)
    {
        var strategy = new Argument<string>("strategy") { Description = "The strategy to skip (case-sensitive)" };
        var operation = new Argument<string>("operation") { Description = "The operation it is skipped for (case-sensitive)" };
        var reason = new Option<string>("--reason") { Description = "Why; shown in reports and 'blacklist list' (secrets in it are redacted)", Required = true };
        var expires = new Option<string?>("--expires") { Description = "Lift the entry after this long (30m, 12h, 7d); without it, until removed", HelpName = "duration" };
        var command = new Command("add", "Blacklist a strategy for an operation") { strategy, operation, reason, expires };
        command.SetAction(async (parse, ct) =>
        {
            var name = RequireName("strategy", parse.GetValue(strategy));
            var op = RequireName("operation", parse.GetValue(operation));
            var why = parse.GetValue(reason);
            if (string.IsNullOrWhiteSpace(why))
            {
                throw CliException.Usage("--reason must not be empty: say why the strategy is skipped.");
            }

            var lifetime = parse.GetValue(expires) is { } text ? DurationParser.Parse("--expires", text) : (TimeSpan?)null;
            if (lifetime == TimeSpan.Zero)
            {
                throw CliException.Usage("--expires must be longer than zero.");
            }

            var now = context.TimeProvider.GetUtcNow();
            var entry = new BlacklistEntry
            {
                StrategyName = name, Operation = op, Reason = SecretRedactor.RedactText(why), AddedAt = now, ExpiresAt = now + lifetime, IsAutomatic = false,
            };

            // Adding may create the database: an operator may blacklist a provider before anything ran.
            await using var store = StoreAccess.WriteFailures(globals.Store(parse), mayCreate: true, context.TimeProvider);
            await store.AddToBlacklistAsync(entry, ct);
            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(entry);
            }
            else
            {
                context.Console.MarkupLineInterpolated($"Blacklisted [bold]{name}[/] for [bold]{op}[/] {(lifetime is { } l ? "for " + DurationParser.Format(l) : "until removed")}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(CliContext context, GlobalOptions globals)
    {
        var strategy = new Argument<string>("strategy") { Description = "The blacklisted strategy (case-sensitive)" };
        var operation = new Argument<string>("operation") { Description = "The operation (case-sensitive)" };
        var command = new Command("remove", "Lift a strategy's blacklist entry") { strategy, operation };
        command.SetAction(async (parse, ct) =>
        {
            var name = RequireName("strategy", parse.GetValue(strategy));
            var op = RequireName("operation", parse.GetValue(operation));
            var db = globals.Store(parse);

            // Looked up read-only first: a name that is not there changes nothing in the file.
            bool present;
            await using (var reader = StoreAccess.ReadFailures(db, context.TimeProvider))
            {
                present = (await reader.GetBlacklistAsync(includeExpired: true, ct)).Any(e => e.StrategyName == name && e.Operation == op);
            }

            var removed = false;
            if (present)
            {
                await using var store = StoreAccess.WriteFailures(db, mayCreate: false, context.TimeProvider);
                removed = await store.RemoveFromBlacklistAsync(name, op, ct);
            }

            if (!removed)
            {
                throw new CliException($"'{name}' is not blacklisted for '{op}' (names are case-sensitive; see 'steadfast blacklist list --all').")
                {
                    Result = new Dictionary<string, object?> { ["strategyName"] = name, ["operation"] = op, ["removed"] = false },
                };
            }

            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(new { strategyName = name, operation = op, removed });
            }
            else
            {
                context.Console.MarkupLineInterpolated($"Removed [bold]{name}[/] / [bold]{op}[/] from the blacklist.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string RequireName(string what, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw CliException.Usage($"the {what} name must not be empty.") : value;

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
