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

    [Fact]
    public async Task DemoCreative_SecondRunOnTheSameDb_ReusesTheProposalWithoutAnLlmCall()
    {
        using var cli = new CliRunner();

        var first = (await cli.RunAsync("demo", "--creative", "--json")).Json;
        var second = await cli.RunAsync("demo", "--creative", "--json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(0, first.GetProperty("restoredProposals").GetInt32());
        Assert.Equal(1, first.GetProperty("modelCalls").GetInt32());
        var json = second.Json;
        Assert.Equal(1, json.GetProperty("restoredProposals").GetInt32());
        Assert.Equal(0, json.GetProperty("modelCalls").GetInt32());
        var strategy = first.GetProperty("calls")[0].GetProperty("strategyUsed").GetString();
        Assert.All(json.GetProperty("calls").EnumerateArray(), c =>
        {
            Assert.True(c.GetProperty("success").GetBoolean());
            Assert.Equal(strategy, c.GetProperty("strategyUsed").GetString());
        });
    }

    [Fact]
    public async Task DemoCreative_SecondRunOnAnotherDb_AsksTheModelAgain()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo", "--creative", "--json");

        var other = await cli.RunAsync("demo", "--creative", "--json", "--db", Path.Combine(cli.Folder, "other.db"));

        Assert.Equal(0, other.Json.GetProperty("restoredProposals").GetInt32());
        Assert.Equal(1, other.Json.GetProperty("modelCalls").GetInt32());
    }

    [Fact]
    public async Task DemoCreative_SecondRunScreen_SaysNoLlmCallAndListsWhatTheSolverTried()
    {
        using var cli = new CliRunner();
        await cli.RunAsync("demo", "--creative");

        var second = await cli.RunAsync("demo", "--creative");

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("No LLM call in this run", second.Output, StringComparison.Ordinal);
        Assert.Contains("What the creative solver tried", second.Output, StringComparison.Ordinal);
        Assert.Contains("Restored", second.Output, StringComparison.Ordinal);
        Assert.Contains("Succeeded", second.Output, StringComparison.Ordinal);
    }
}
