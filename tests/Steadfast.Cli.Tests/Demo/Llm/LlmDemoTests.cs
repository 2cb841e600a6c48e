using System.Text.Json;

namespace Steadfast.Cli.Tests.Demo.Llm;

[Collection(VirtualTimeCollection.Name)]
public sealed class LlmDemoTests
{
    [Fact]
    public async Task Demo_ScenarioLlm_ReportsFailoversCostsCacheLevelsAndDegradedMode()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("demo", "--scenario", "llm", "--duration", "20s", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(100, root.GetProperty("requests").GetInt32());
        Assert.True(root.GetProperty("fromCache").GetInt32() > 0);
        Assert.True(root.GetProperty("failovers").GetInt32() > 0);
        Assert.True(root.GetProperty("degraded").GetInt32() > 0);
        Assert.Contains(root.GetProperty("notices").EnumerateArray(), n => n.GetString()!.Contains("Degraded mode", StringComparison.Ordinal));
        var providers = root.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["cheap", "partner", "premium"], providers.Keys.Order());
        Assert.True(providers["cheap"].GetProperty("failures").GetInt32() > 0);
        var notices = root.GetProperty("notices").EnumerateArray().Select(n => n.GetString()!).ToArray();
        Assert.Contains(notices, n => n.StartsWith("Operation mode Normal -> Degraded", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.StartsWith("Recovered: provider 'cheap'", StringComparison.Ordinal));
        Assert.Equal("Normal", root.GetProperty("finalMode").GetString());
        var levels = root.GetProperty("cacheLevels").EnumerateArray().Select(l => l.GetProperty("level").GetString()!).ToArray();
        Assert.Equal(["L1 memory", "L2 SQLite"], levels);
    }

    [Fact]
    public async Task Demo_UnknownScenario_IsUsageError()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("demo", "--scenario", "nope");

        Assert.Equal(2, result.ExitCode);
    }
}
