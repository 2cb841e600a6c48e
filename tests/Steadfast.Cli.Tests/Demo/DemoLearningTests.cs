using System.Globalization;
using System.Text.Json;

namespace Steadfast.Cli.Tests.Demo;

// The learning claim (issue 10, "Proof"): in virtual time, the demo's world run twice with the same seed on the same database,
// the second run is better for what the first learned: it wastes fewer attempts per call, serves at least as many calls, and
// its p50 is no worse than the first's by more than 10 %.
[Collection(VirtualTimeCollection.Name)]
public sealed class DemoLearningTests
{
    [Fact]
    public async Task Demo_SecondRunWithWhatTheFirstLearned_WastesLessServesAsManyAndIsNoSlower()
    {
        using var cli = new CliRunner();

        var first = (await cli.RunAsync("demo", "--virtual-time", "--json")).Json.GetProperty("totals");
        var second = (await cli.RunAsync("demo", "--virtual-time", "--json")).Json.GetProperty("totals");

        var why = $"first run: {Describe(first)}; second run: {Describe(second)}";
        Assert.True(WastedPerCall(second) < WastedPerCall(first), $"wasted attempts per call {WastedPerCall(first):0.000} -> {WastedPerCall(second):0.000}; {why}");
        Assert.True(Int(second, "calls") >= Int(first, "calls"), $"calls served {Int(first, "calls")} -> {Int(second, "calls")}; {why}");
        Assert.True(
            second.GetProperty("p50Milliseconds").GetDouble() <= 1.1 * first.GetProperty("p50Milliseconds").GetDouble(),
            $"p50 {first.GetProperty("p50Milliseconds")} -> {second.GetProperty("p50Milliseconds")} ms; {why}");
    }

    private static double WastedPerCall(JsonElement totals) => (double)Int(totals, "failedAttempts") / Int(totals, "calls");

    /// <summary>Per strategy: attempts (failed, of them HTTP 429) and wins; what tells why a run wasted what it did.</summary>
    private static string Describe(JsonElement totals)
    {
        var rateLimited = totals.GetProperty("failureCauses").EnumerateArray()
            .Where(c => c.GetProperty("statusCode").ValueKind == JsonValueKind.Number && Int(c, "statusCode") == 429)
            .ToDictionary(c => c.GetProperty("strategy").GetString()!, c => Int(c, "count"));
        return string.Join(", ", totals.GetProperty("strategies").EnumerateArray().Select(s =>
        {
            var name = s.GetProperty("strategy").GetString()!;
            return string.Create(CultureInfo.InvariantCulture,
                $"{name} {Int(s, "attempts")} attempts ({Int(s, "failed")} failed, {rateLimited.GetValueOrDefault(name)} of them 429) {Int(s, "wins")} wins");
        }));
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();
}
