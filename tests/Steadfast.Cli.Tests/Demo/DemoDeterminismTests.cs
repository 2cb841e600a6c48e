namespace Steadfast.Cli.Tests.Demo;

// In virtual time the simulated providers and the engine run on one clock, stepped by one loop: the same seed gives the same
// run, every figure of it, run after run; a second run on the same database starts from the first one's end and repeats too.
[Collection(VirtualTimeCollection.Name)]
public sealed class DemoDeterminismTests
{
    [Theory]
    [InlineData("sequential")]
    [InlineData("race")]
    public async Task Demo_SameSeedTwice_IdenticalReports(string mode)
    {
        using var a = new CliRunner();
        using var b = new CliRunner();

        var a1 = await a.RunAsync(DemoRuns.DemoArgs(mode, "--json", "--seed", "11"));
        var a2 = await a.RunAsync(DemoRuns.DemoArgs(mode, "--json", "--seed", "11"));
        var b1 = await b.RunAsync(DemoRuns.DemoArgs(mode, "--json", "--seed", "11"));
        var b2 = await b.RunAsync(DemoRuns.DemoArgs(mode, "--json", "--seed", "11"));

        Assert.Equal(0, a1.ExitCode);
        Assert.True(a1.Json.GetProperty("totals").GetProperty("calls").GetInt32() > 0);
        Assert.Equal(a1.Output, b1.Output); // every figure, every date
        Assert.Equal(a2.Output, b2.Output);
        Assert.NotEqual(a1.Output, a2.Output);
    }

    [Fact]
    public async Task Demo_SameSeedTwice_IdenticalTables()
    {
        using var a = new CliRunner();
        using var b = new CliRunner();

        var first = await a.RunAsync(DemoRuns.DemoArgs("sequential"));
        var second = await b.RunAsync(DemoRuns.DemoArgs("sequential"));

        Assert.Equal(first.Output.Replace(a.Database, "<db>", StringComparison.Ordinal), second.Output.Replace(b.Database, "<db>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_DifferentSeed_DifferentRun()
    {
        using var a = new CliRunner();
        using var b = new CliRunner();

        var seed1 = await a.RunAsync(DemoRuns.DemoArgs("sequential", "--json", "--seed", "1"));
        var seed2 = await b.RunAsync(DemoRuns.DemoArgs("sequential", "--json", "--seed", "2"));

        Assert.NotEqual(
            seed1.Json.GetProperty("totals").GetRawText(),
            seed2.Json.GetProperty("totals").GetRawText());
    }
}
