using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary><c>steadfast failures</c>: recent failures as a table. Reads the database read-only.</summary>
internal static class FailuresCommand
{
    public const int MaxLimit = 100_000;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var operation = new Option<string?>("--operation") { Description = "Only failures of this operation (case-sensitive)" };
        var errorType = new Option<string?>("--error-type") { Description = "Only failures with this error type, e.g. HttpRequestException" };
        var since = new Option<string?>("--since") { Description = "Only failures newer than this: a duration back from now (30m, 24h, 7d) or a date (2026-11-01)", HelpName = "when" };
        var limit = new Option<int>("--limit") { Description = $"At most this many rows, newest first (1-{MaxLimit})", DefaultValueFactory = _ => 50 };

        var command = new Command("failures", "Recent failures, newest first") { operation, errorType, since, limit };
        command.SetAction(async (parse, ct) =>
        {
            var rows = parse.GetValue(limit);
            if (rows is < 1 or > MaxLimit)
            {
                throw CliException.Usage($"--limit must be between 1 and {MaxLimit}; was {rows}.");
            }

            var from = ParseSince(parse.GetValue(since), context.TimeProvider.GetUtcNow());
            await using var store = StoreAccess.ReadFailures(globals.Store(parse), context.TimeProvider);

            // Records written before redaction covered every form (or by other tools) are shown redacted all the same.
            var failures = (await store.GetFailuresAsync(parse.GetValue(operation), parse.GetValue(errorType), from, rows, ct))
                .Select(f => f with { ErrorMessage = SecretRedactor.RedactText(f.ErrorMessage), Context = Redact(f.Context) })
                .ToList();

            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(new { count = failures.Count, failures });
                return ExitCodes.Success;
            }

            if (failures.Count == 0)
            {
                context.Console.MarkupLine("[green]No failures match.[/]");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Time (UTC)", "Operation", "Strategy", "Error type", "Category", "Message");
            foreach (var f in failures)
            {
                table.AddRow(
                    f.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    Markup.Escape(f.Operation),
                    Markup.Escape(f.Strategy ?? "-"),
                    Markup.Escape(f.ErrorType),
                    f.Category.ToString(),
                    Markup.Escape(CellText.Truncate(f.ErrorMessage, 60)));
            }

            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"{failures.Count} failure(s) shown.");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static DateTimeOffset? ParseSince(string? text, DateTimeOffset now)
    {
        if (text is null)
        {
            return null;
        }

        if (DurationParser.TryParse(text, out var back))
        {
            return now - back;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        throw CliException.Usage(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? DurationParser.NotADuration("--since", text, likelyUnit: "d")
            : $"--since: '{text}' is neither a duration (30m, 24h, 7d) nor a date (2026-11-01).");
    }

    private static IReadOnlyDictionary<string, string?> Redact(IReadOnlyDictionary<string, string?> context) =>
        context.Count == 0 ? context : context.ToDictionary(p => p.Key, p => SecretRedactor.RedactValue(p.Key, p.Value), StringComparer.Ordinal);
}
