using System.CommandLine;
using System.CommandLine.Help;
using Steadfast.Cli.Commands;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli;

/// <summary>
/// The command line's syntax: the command tree, its options and how a run ends. Behaviour lives in the
/// command classes under Commands/, so the tree reads like the help text and tests can run any command in-process.
/// </summary>
internal static class CliApp
{
    /// <summary>
    /// Parses and runs one command line; returns the exit code (0 ok, 1 failure, 2 usage). Every mistake is one line on
    /// standard error; with --json every outcome, errors included, is also one JSON object on standard output.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions();
        var root = BuildRoot(context, globals);
        var parse = root.Parse(args);
        var json = WantsJson(parse, globals, args);

        if (parse.Errors.Count > 0)
        {
            return await FailAsync(context, json, ParseErrorText.Describe(parse), ExitCodes.Usage, result: null);
        }

        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (CliException ex)
        {
            return await FailAsync(context, json, [ex.Message], ex.ExitCode, ex.Result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(context, json, ["interrupted."], ExitCodes.Failure, result: null);
        }
        catch (StoreException ex)
        {
            return await FailAsync(context, json, [StoreErrorText.Describe(ex, parse.GetValue(globals.Database))], ExitCodes.Failure, result: null);
        }
        catch (Exception ex) when (ex is SteadfastException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Store and file trouble is the operator's to fix, not a bug to dump a stack trace for.
            return await FailAsync(context, json, [ex.Message], ExitCodes.Failure, result: null);
        }
    }

    private static async Task<int> FailAsync(CliContext context, bool json, IReadOnlyList<string> lines, int exitCode, IReadOnlyDictionary<string, object?>? result)
    {
        foreach (var line in lines)
        {
            await context.Error.WriteLineAsync($"error: {line}");
        }

        if (json)
        {
            var outcome = new Dictionary<string, object?>(result ?? new Dictionary<string, object?>(), StringComparer.Ordinal)
            {
                ["error"] = string.Join(" ", lines),
                ["exitCode"] = exitCode,
            };
            context.WriteJson(outcome);
        }

        return exitCode;
    }

    /// <summary>Whether --json was asked for, also on a command line that did not parse.</summary>
    private static bool WantsJson(ParseResult parse, GlobalOptions globals, string[] args)
    {
        if (parse.GetResult(globals.Json) is { } result && !result.Errors.Any())
        {
            return parse.GetValue(globals.Json);
        }

        return args.Contains("--json", StringComparer.Ordinal);
    }

    private static Command BuildRoot(CliContext context, GlobalOptions globals)
    {
        // A plain command named like the installed tool, so help reads "steadfast ...", not the assembly name.
        var root = new Command("steadfast",
            "Steadfast: operations that succeed despite failures, and learn from every one.\n" +
            "Run 'steadfast demo' to watch the engine at work.");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(globals.Database);
        root.Options.Add(globals.Json);
        root.Options.Add(globals.Redis);

        root.Subcommands.Add(DemoCommand.Create(context, globals));
        root.Subcommands.Add(AnalyticsCommand.Create(context, globals));
        root.Subcommands.Add(FailuresCommand.Create(context, globals));
        root.Subcommands.Add(BlacklistCommand.Create(context, globals));
        root.Subcommands.Add(CircuitsCommand.Create(context, globals));
        root.Subcommands.Add(CleanupCommand.Create(context, globals));
        root.Subcommands.Add(UpgradeCommand.Create(context, globals));
        return root;
    }
}

/// <summary>Options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Database { get; } = new("--db")
    {
        Description = "The SQLite database file",
        DefaultValueFactory = _ => DatabasePath.Default,
        Recursive = true,
        HelpName = "path",
    };

    public Option<string?> Redis { get; } = new("--redis")
    {
        Description = "Use the Redis stores at this StackExchange.Redis connection (e.g. 127.0.0.1:6379,abortConnect=false) instead of --db",
        Recursive = true,
        HelpName = "connection",
    };

    /// <summary>Where the operator commands read and write: the --db file, or the --redis connection when given (as <see cref="StoreAccess.RedisScheme"/> + connection).</summary>
    public string Store(ParseResult parse) => parse.GetValue(Redis) is { Length: > 0 } redis ? StoreAccess.RedisScheme + redis : parse.GetValue(Database)!;

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write machine-readable JSON instead of tables",
        Recursive = true,
    };
}
