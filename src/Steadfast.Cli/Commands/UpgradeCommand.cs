using System.CommandLine;
using Spectre.Console;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary>
/// <c>steadfast upgrade</c>: brings a database written by an older Steadfast to this version's tables. Read commands
/// never do that themselves (reading never writes); they name this command when a database needs it.
/// </summary>
internal static class UpgradeCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("upgrade", "Upgrade a database written by an older Steadfast to this version (read commands never write)");
        command.SetAction(async (parse, ct) =>
        {
            var db = globals.Store(parse);

            // A writable store's first use checks the file is Steadfast's, then migrates its tables forward.
            await using (var failures = StoreAccess.WriteFailures(db, mayCreate: false, context.TimeProvider))
            {
                await failures.GetBlacklistAsync(includeExpired: false, ct);
            }

            await using (var circuits = StoreAccess.WriteCircuits(db, mayCreate: false))
            {
                await circuits.LoadAllAsync(ct);
            }

            if (parse.GetValue(globals.Json))
            {
                context.WriteJson(new { database = db, upgraded = true });
            }
            else
            {
                context.Console.MarkupLineInterpolated($"'{db}' is up to date with this Steadfast.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
