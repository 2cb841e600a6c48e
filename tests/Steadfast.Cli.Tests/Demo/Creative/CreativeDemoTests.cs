namespace Steadfast.Cli.Tests.Demo.Creative;

[Collection(VirtualTimeCollection.Name)]
public sealed class CreativeDemoTests
{
    [Fact]
    public async Task DemoCreative_AllProvidersFail_TheScriptedModelsProposalSucceedsAndIsReusedWithoutAskingAgain()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("demo", "--creative", "--json");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json;
        Assert.True(json.GetProperty("scriptedModel").GetBoolean());
        var calls = json.GetProperty("calls").EnumerateArray().ToList();
        Assert.All(calls, c => Assert.True(c.GetProperty("success").GetBoolean()));
        Assert.Equal(calls[0].GetProperty("strategyUsed").GetString(), calls[1].GetProperty("strategyUsed").GetString());
        Assert.All(calls, c => Assert.Equal(1, c.GetProperty("modelCalls").GetInt32()));
    }

    [Fact]
    public async Task DemoCreative_Screen_SaysTheModelIsScripted()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("demo", "--creative");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("scripted: no LLM is called", result.Output, StringComparison.Ordinal);
        Assert.Contains("Refused", result.Output, StringComparison.Ordinal);
    }
}
