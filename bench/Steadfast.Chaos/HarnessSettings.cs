using System.Globalization;
using Steadfast.Chaos.Competitors;

namespace Steadfast.Chaos;

/// <summary>The command line: <c>--duration 10s --callers 8 --seed 1 [--deadline 2s] [--rate-limit 20] [--warmup 500ms] [--only a,b] [--out file.md] [--trace calls.csv]</c>.</summary>
internal sealed record HarnessSettings(
    TimeSpan Duration,
    int Callers,
    int Seed,
    TimeSpan Deadline,
    int RateLimitPerSecond,
    TimeSpan Warmup,
    IReadOnlyList<string> Competitors,
    string? OutFile,
    string? TraceFile)
{
    public const string Usage = """
        Steadfast.Chaos: Steadfast against Polly (Microsoft.Extensions.Http.Resilience) in a scripted HTTP world.

          --duration <time>   each competitor's run (default 10s; e.g. 500ms, 10s, 1m)
          --callers <n>       concurrent callers, each calling in a loop (default 8)
          --seed <n>          the world's seed (default 1)
          --deadline <time>   per-call deadline for every competitor (default 2s)
          --rate-limit <n>    requests per second the rate-limited provider serves (default 20)
          --warmup <time>     unmeasured warm-up per competitor, in the healthy part of the script (default 500ms; 0 = none)
          --only <names>      comma-separated competitors (default all): steadfast-sequential, steadfast-race,
                              steadfast-hedged, polly-hedging, polly-chain
          --out <file.md>     also write the report to this file
          --trace <file.csv>  write every call (competitor, start, end, outcome, provider) to this file
        """;

    public static HarnessSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new HarnessSettings(TimeSpan.FromSeconds(10), 8, 1, TimeSpan.FromSeconds(2), 20, TimeSpan.FromMilliseconds(500), CompetitorCatalog.Names, null, null);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            settings = name switch
            {
                "--duration" => settings with { Duration = ParseTime(name, Value()) },
                "--callers" => settings with { Callers = ParseCount(name, Value()) },
                "--seed" => settings with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--deadline" => settings with { Deadline = ParseTime(name, Value()) },
                "--rate-limit" => settings with { RateLimitPerSecond = ParseCount(name, Value()) },
                "--warmup" => settings with { Warmup = ParseTime(name, Value(), allowZero: true) },
                "--only" => settings with { Competitors = ParseCompetitors(Value()) },
                "--out" => settings with { OutFile = Value() },
                "--trace" => settings with { TraceFile = Value() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return settings;
    }

    /// <summary>A time such as <c>500ms</c>, <c>10s</c>, <c>1m</c> or a plain number of seconds.</summary>
    public static TimeSpan ParseTime(string option, string text, bool allowZero = false)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || (value == 0 && !allowZero))
        {
            throw new ArgumentException($"{option} takes a time such as 500ms, 10s or 1m; was '{text}'.");
        }

        return TimeSpan.FromSeconds(value * unit);
    }

    private static int ParseCount(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option} takes a whole number of 1 or more; was '{text}'.");

    private static string[] ParseCompetitors(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!CompetitorCatalog.Names.Contains(name))
            {
                throw new ArgumentException($"Unknown competitor '{name}'; one of: {string.Join(", ", CompetitorCatalog.Names)}.");
            }
        }

        // The catalog's order, whatever order they were given in.
        return CompetitorCatalog.Names.Where(names.Contains).ToArray();
    }
}
