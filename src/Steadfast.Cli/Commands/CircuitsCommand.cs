using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary><c>steadfast circuits list | reset</c>: the persisted circuit breaker states (<c>list</c> reads the database read-only).</summary>
internal static class CircuitsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("circuits", "Persisted circuit breaker states: list them, or reset one to closed");
        command.Subcommands.Add(List(context, globals));
        command.Subcommands.Add(Reset(context, globals));
        return command;
    }

    private static Command List(CliContext context, GlobalOptions globals)
    {
        var command = new Command("list", "List persisted circuits and their states");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = StoreAccess.ReadCircuits(globals.Store(parse));
            var circuits = (await store.LoadAllAsync(ct))
                .Select(c => c with { LastError = c.LastError is { } e ? SecretRedactor.RedactText(e) : null }) // snapshots saved before last errors were redacted
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .ToList();
            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(new { count = circuits.Count, circuits });
                return ExitCodes.Success;
            }

            if (circuits.Count == 0)
            {
                context.Console.MarkupLine("No circuit state is persisted.");
                return ExitCodes.Success;
            }

            var now = context.TimeProvider.GetUtcNow();
            var table = new Table().AddColumns("Circuit", "State", "Failures", "Open until (UTC)", "Last error", "Saved (UTC)");
            foreach (var c in circuits)
            {
                table.AddRow(
                    Markup.Escape(c.Name),
                    StateMarkup(c, now),
                    c.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture),
                    c.OpenUntil is { } until ? Format(until) : "-",
                    Markup.Escape(c.LastError is { } error ? CellText.Truncate(error) : "-"),
                    Format(c.SavedAt));
            }

            context.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Reset(CliContext context, GlobalOptions globals)
    {
        var name = new Argument<string>("name") { Description = "The circuit to close (case-sensitive)" };
        var command = new Command("reset", "Reset a persisted circuit to closed; processes pick it up when they next restore") { name };
        command.SetAction(async (parse, ct) =>
        {
            var circuit = parse.GetValue(name) ?? string.Empty;
            var db = globals.Store(parse);

            // Looked up read-only first: a name that is not there changes nothing in the file.
            CircuitBreakerSnapshot? existing;
            await using (var reader = StoreAccess.ReadCircuits(db))
            {
                existing = await reader.LoadAsync(circuit, ct);
            }

            if (existing is null)
            {
                throw new CliException($"no circuit named '{circuit}' is persisted (names are case-sensitive; see 'steadfast circuits list').")
                {
                    Result = new Dictionary<string, object?> { ["name"] = circuit, ["reset"] = false },
                };
            }

            var closed = new CircuitBreakerSnapshot { Name = existing.Name, State = CircuitState.Closed, SavedAt = context.TimeProvider.GetUtcNow() };
            await using var store = StoreAccess.WriteCircuits(db, mayCreate: false);
            await store.SaveAsync(closed, ct);
            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(new { name = closed.Name, reset = true, previousState = existing.State });
            }
            else
            {
                context.Console.MarkupLineInterpolated($"Circuit [bold]{circuit}[/] reset to closed (was {existing.State}).");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string StateMarkup(CircuitBreakerSnapshot c, DateTimeOffset now) => c.State switch
    {
        CircuitState.Closed => "[green]closed[/]",
        CircuitState.HalfOpen => "[yellow]half-open[/]",
        CircuitState.Isolated => "[red]isolated[/]",
        _ when c.OpenUntil is { } until && until <= now => "[yellow]open (cooldown over)[/]",
        _ => "[red]open[/]",
    };

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
