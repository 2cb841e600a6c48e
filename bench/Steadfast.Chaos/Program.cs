using System.Globalization;
using Steadfast.Chaos;
using Steadfast.Chaos.Competitors;
using Steadfast.Chaos.Load;
using Steadfast.Chaos.Reporting;
using Steadfast.Chaos.World;

// The chaos benchmark of issue 10: every competitor, one after another, against the same scripted world in one process.
// Progress goes to stderr; the Markdown report to stdout (and --out).
HarnessSettings settings;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(HarnessSettings.Usage);
        return 0;
    }

    settings = HarnessSettings.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(HarnessSettings.Usage);
    return 2;
}

var startedAt = TimeProvider.System.GetUtcNow();
var loadBefore = LoadAverage.Read();
var tuning = new Tuning(settings.Deadline);
var plan = new LoadPlan(settings.Duration, settings.Callers, settings.Deadline, settings.Seed);
var reports = new List<CompetitorReport>();
var runs = new List<RunResult>();
await using (var world = await ChaosWorld.StartAsync(settings.RateLimitPerSecond))
{
    foreach (var name in settings.Competitors)
    {
        if (settings.Warmup > TimeSpan.Zero)
        {
            // JIT and connection pools warm, state thrown away: a throwaway instance, in the healthy first fifth of a
            // script ten times the warm-up's length.
            await Console.Error.WriteLineAsync($"warming up {name}");
            await using var warm = CompetitorCatalog.Create(name, world.Endpoints, tuning);
            await LoadRunner.RunAsync(warm, world, plan with { Duration = settings.Warmup * 10, Callers = 2 }, stopAfter: settings.Warmup);
        }

        Collect();
        await Console.Error.WriteLineAsync($"running {name} for {settings.Duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s");
        await using var competitor = CompetitorCatalog.Create(name, world.Endpoints, tuning);
        var run = await LoadRunner.RunAsync(competitor, world, plan);
        runs.Add(run);
        reports.Add(CompetitorReport.From(run));
    }
}

var script = new WorldScript(TimeProvider.System, settings.Duration);
var facts = new RunFacts(startedAt, CommandLine(args), settings.Duration, settings.Callers, settings.Deadline, settings.Seed,
    settings.RateLimitPerSecond, script.OutageStart, script.OutageEnd, loadBefore, LoadAverage.Read());
var markdown = MarkdownReport.Write(facts, reports, GoalCheck.Check(reports));
Console.WriteLine(markdown);
if (settings.OutFile is { } file)
{
    await File.WriteAllTextAsync(file, markdown);
    await Console.Error.WriteLineAsync($"report written to {file}");
}

if (settings.TraceFile is { } trace)
{
    await File.WriteAllLinesAsync(trace, CallTrace.Lines(runs));
    await Console.Error.WriteLineAsync($"calls written to {trace}");
}

return 0;

// Between competitors: the previous one's garbage is not collected on the next one's time.
static void Collect()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

static string CommandLine(string[] args) =>
    "dotnet run -c Release --project bench/Steadfast.Chaos" + (args.Length == 0 ? "" : " -- " + string.Join(' ', args));
