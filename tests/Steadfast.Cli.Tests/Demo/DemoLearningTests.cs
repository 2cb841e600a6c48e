namespace Steadfast.Cli.Tests.Demo;

// The learning claim (issue 10): in virtual time, the demo's world run twice with the same seed and persistence on, the second
// run is better for what the first learned.
public sealed class DemoLearningTests
{
    [Fact(Skip = "Fails on today's engine (issue 10): primary_api stays blacklisted for an hour after its outage, so the second 20 s run serves "
        + "fewer calls (seed 42: 967 -> 421) at a worse p50 (32 -> 176 ms). Unskip when the engine rework (recovery probes, one schedule) lands.")]
    public async Task Demo_SecondRunWithWhatTheFirstLearned_WastesLessServesAsManyAndIsNoSlower()
    {
        using var cli = new CliRunner();

        var first = (await cli.RunAsync("demo", "--virtual-time", "--json")).Json.GetProperty("totals");
        var second = (await cli.RunAsync("demo", "--virtual-time", "--json")).Json.GetProperty("totals");

        double WastedPerCall(System.Text.Json.JsonElement t) => (double)t.GetProperty("failedAttempts").GetInt32() / t.GetProperty("calls").GetInt32();
        Assert.True(WastedPerCall(second) < WastedPerCall(first), $"wasted attempts per call {WastedPerCall(first):0.000} -> {WastedPerCall(second):0.000}");
        Assert.True(
            second.GetProperty("calls").GetInt32() >= first.GetProperty("calls").GetInt32(),
            $"calls served {first.GetProperty("calls")} -> {second.GetProperty("calls")}");
        Assert.True(
            second.GetProperty("p50Milliseconds").GetDouble() <= 1.1 * first.GetProperty("p50Milliseconds").GetDouble(),
            $"p50 {first.GetProperty("p50Milliseconds")} -> {second.GetProperty("p50Milliseconds")} ms");
    }
}
