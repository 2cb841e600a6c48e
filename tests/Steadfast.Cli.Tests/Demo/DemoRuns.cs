using System.Text.Json;

namespace Steadfast.Cli.Tests.Demo;

/// <summary>
/// Two virtual-time demo runs after each other on one database, per mode, as JSON (and <c>analytics</c> after them), and the
/// same two runs on a second database as tables: in virtual time the same seed gives the same run, so the tables show the
/// figures of the JSON.
/// </summary>
public sealed class DemoRuns : IAsyncLifetime
{
    public const string Duration = "5s";

    private readonly Dictionary<string, ModeRuns> _runs = new(StringComparer.Ordinal);

    public ModeRuns this[string mode] => _runs[mode];

    public static string[] DemoArgs(string mode, params string[] extra) => ["demo", "--virtual-time", "--duration", Duration, "--mode", mode, .. extra];

    public async Task InitializeAsync()
    {
        foreach (var mode in new[] { "sequential", "race" })
        {
            using var json = new CliRunner();
            using var tables = new CliRunner();
            var first = await json.RunAsync(DemoArgs(mode, "--json"));
            var second = await json.RunAsync(DemoArgs(mode, "--json"));
            var analytics = await json.RunAsync("analytics", "--json");
            var failures = await json.RunAsync("failures", "--limit", "100000", "--json");
            var firstText = await tables.RunAsync(DemoArgs(mode));
            var secondText = await tables.RunAsync(DemoArgs(mode));
            foreach (var run in new[] { first, second, analytics, failures, firstText, secondText })
            {
                Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
            }

            _runs[mode] = new ModeRuns(first.Json.Clone(), second.Json.Clone(), analytics.Json.Clone(), FailureRows(failures.Json), firstText.Output, secondText.Output);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The rows of <c>failures --json</c> (an array, or an object holding it under "failures").</summary>
    private static IReadOnlyList<JsonElement> FailureRows(JsonElement json) =>
        [.. (json.ValueKind == JsonValueKind.Array ? json : json.GetProperty("failures")).EnumerateArray().Select(e => e.Clone())];
}

/// <summary>The first and second run of one mode, and what <c>analytics</c> and <c>failures</c> said after them.</summary>
public sealed record ModeRuns(JsonElement First, JsonElement Second, JsonElement Analytics, IReadOnlyList<JsonElement> Failures, string FirstText, string SecondText)
{
    public IEnumerable<JsonElement> Both => [First, Second];
}
