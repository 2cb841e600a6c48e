using System.CommandLine;
using Spectre.Console;
using Steadfast.Cli.Demo;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Commands;

/// <summary><c>steadfast demo</c>: the engine at work on a realistic, failing workload.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var duration = new Option<string>("--duration")
        {
            Description = $"How long to run ({DurationParser.Format(DemoSettings.MinDuration)} to {DurationParser.Format(DemoSettings.MaxDuration)})",
            DefaultValueFactory = _ => DurationParser.Format(DemoSettings.DefaultDuration),
            HelpName = "duration",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated failures, to repeat a run", DefaultValueFactory = _ => DemoSettings.DefaultSeed };
        var parallel = new Option<bool>("--parallel") { Description = "Race the providers instead of trying them one after another (the same as --mode race)" };
        var mode = new Option<string>("--mode")
        {
            Description = "How the engine uses the providers: sequential (one attempt at a time), race, or hedged",
            HelpName = "sequential|race|hedged",
        };
        mode.AcceptOnlyFromAmong("sequential", "race", "hedged");
        var virtualTime = new Option<bool>("--virtual-time")
        {
            Description = "Run on a simulated clock: the run takes only the time to compute it, and the same seed repeats every figure",
        };
        var scenario = new Option<string>("--scenario")
        {
            Description = "What to demonstrate: providers (the engine, the default) or llm (LLM failover with a cache, on virtual time)",
            DefaultValueFactory = _ => "providers",
            HelpName = "providers|llm",
        };
        scenario.AcceptOnlyFromAmong("providers", "llm");
        var fresh = new Option<bool>("--fresh") { Description = "Start from an empty database (forget what earlier runs learned)" };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = $"Concurrent callers (1-{DemoSettings.MaxConcurrency})",
            DefaultValueFactory = _ => DemoSettings.DefaultConcurrency,
        };

        var dashboard = new Option<bool>("--dashboard") { Description = "Serve the live dashboard on http://127.0.0.1:<port>/steadfast/ while the demo runs" };
        var dashboardPort = new Option<int?>("--dashboard-port")
        {
            Description = $"The dashboard's port (implies --dashboard; default {DemoSettings.DefaultDashboardPort}, 0 picks a free one)",
        };

        var creative = new Option<bool>("--creative") { Description = "Show the creative solver: every provider fails and a scripted model proposes a tool call that works" };
        var command = new Command("demo", "Watch the engine keep an operation succeeding while its providers fail, and learn from it")
        {
            duration, seed, parallel, mode, fresh, concurrency, virtualTime, dashboard, dashboardPort, creative, scenario,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(creative))
            {
                return await Demo.Creative.CreativeDemo.RunAsync(context, parse.GetValue(globals.Database)!, parse.GetValue(globals.Json), ct);
            }

            var length = DurationParser.Parse("--duration", parse.GetValue(duration));
            if (length < DemoSettings.MinDuration || length > DemoSettings.MaxDuration)
            {
                throw CliException.Usage($"--duration must be between {DurationParser.Format(DemoSettings.MinDuration)} and {DurationParser.Format(DemoSettings.MaxDuration)}; was {parse.GetValue(duration)}.");
            }

            if (parse.GetValue(scenario) == "llm")
            {
                var llm = await Demo.Llm.LlmDemo.RunAsync(parse.GetValue(globals.Json) ? null : context.Console, length, parse.GetValue(seed), ct);
                if (parse.GetValue(globals.Json))
                {
                    context.WriteJson(llm);
                }
                else
                {
                    Demo.Llm.LlmDemo.Render(context.Console, llm);
                }

                return ExitCodes.Success;
            }

            var callers = parse.GetValue(concurrency);
            if (callers is < 1 or > DemoSettings.MaxConcurrency)
            {
                throw CliException.Usage($"--concurrency must be between 1 and {DemoSettings.MaxConcurrency}; was {callers}.");
            }

            var chosen = parse.GetValue(mode) is { } name ? Enum.Parse<ExecutionMode>(name, ignoreCase: true) : (ExecutionMode?)null;
            if (parse.GetValue(parallel) && chosen is { } other && other != ExecutionMode.Race)
            {
                throw CliException.Usage($"--parallel means --mode race; it cannot be combined with --mode {parse.GetValue(mode)}.");
            }

            var port = parse.GetValue(dashboardPort);
            if (port is < 0 or > 65535)
            {
                throw CliException.Usage($"--dashboard-port must be between 0 and 65535; was {port}.");
            }

            var dashboardAt = port ?? (parse.GetValue(dashboard) ? DemoSettings.DefaultDashboardPort : null);
            var executionMode = chosen ?? (parse.GetValue(parallel) ? ExecutionMode.Race : ExecutionMode.Sequential);
            var settings = new DemoSettings(parse.GetValue(globals.Database)!, length, parse.GetValue(seed), executionMode, parse.GetValue(fresh), callers, parse.GetValue(virtualTime), dashboardAt);
            var json = parse.GetValue(globals.Json);
            var runner = new DemoRunner(context, settings)
            {
                DashboardStarted = json
                    ? address => context.Error.WriteLine($"Dashboard: {address}")
                    : address => context.Console.MarkupLineInterpolated($"Dashboard: [link]{address}[/] (live while the demo runs)"),
                Starting = json ? null : () => context.Console.MarkupLineInterpolated(
                    $"Running the demo for {DurationParser.Format(length)}{(settings.VirtualTime ? " of virtual time" : string.Empty)} against '{settings.Database}' (Ctrl+C stops early with the report so far)..."),
            };
            var report = await runner.RunAsync(ct);
            if (json)
            {
                context.WriteJson(report);
            }
            else
            {
                DemoRenderer.Render(context.Console, report);
            }

            return report.Interrupted ? ExitCodes.Interrupted : ExitCodes.Success;
        });
        return command;
    }
}
