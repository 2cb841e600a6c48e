using Steadfast.Cli.Infrastructure;
using Steadfast.Cli.Tests.Demo;

namespace Steadfast.Cli.Tests.Commands;

// The demo's command line. Runs use virtual time (--virtual-time): deterministic, and a 5 s run takes a moment, not 5 s.
[Collection(VirtualTimeCollection.Name)]
public sealed class DemoCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Demo_RunTwice_SecondRunStartsFromWhatTheFirstLearned()
    {
        var first = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--json"));
        var second = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--json"));

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.Json.GetProperty("startedFrom").ValueKind);
        Assert.True(first.Json.GetProperty("totals").GetProperty("calls").GetInt32() > 0);

        var prior = second.Json.GetProperty("startedFrom");
        Assert.Equal(4, prior.GetProperty("strategiesWithStatistics").GetInt32());
        Assert.Equal(first.Json.GetProperty("failuresOnRecord").GetProperty("total").GetInt64(), prior.GetProperty("failuresOnRecord").GetInt64());
        Assert.Equal(
            first.Json.GetProperty("totals").GetProperty("calls").GetInt32(),
            prior.GetProperty("previousRun").GetProperty("calls").GetInt32());
        Assert.Equal(
            first.Json.GetProperty("finishedAt").GetDateTimeOffset(),
            prior.GetProperty("previousRun").GetProperty("finishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Demo_Fresh_ForgetsEarlierRuns()
    {
        await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--json"));

        var fresh = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--fresh", "--json"));

        Assert.Equal(ExitCodes.Success, fresh.ExitCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fresh.Json.GetProperty("startedFrom").ValueKind);
    }

    [Fact]
    public async Task Demo_TablesReport_ShowsTheFiguresAndWhatWasLearned()
    {
        var result = await _cli.RunAsync(DemoRuns.DemoArgs("sequential"));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var expected in new[] { "Steadfast demo report", "virtual time", "Time to success p50 / p95 / p99", "Attempts per success", "Calls circuits saved", "Per strategy", "What the providers saw", "This run: pattern", "Root cause:", "started fresh" })
        {
            Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Demo_RealTime_ReportsFiguresThatAddUp()
    {
        // The real clock: the figures vary from run to run, their sums do not.
        var result = await _cli.RunAsync("demo", "--duration", "1s", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.False(result.Json.GetProperty("virtualTime").GetBoolean());
        var t = result.Json.GetProperty("totals");
        Assert.Equal(t.GetProperty("calls").GetInt32(), t.GetProperty("succeeded").GetInt32() + t.GetProperty("failed").GetInt32());
        Assert.Equal(
            t.GetProperty("attempts").GetInt32(),
            t.GetProperty("succeededAttempts").GetInt32() + t.GetProperty("failedAttempts").GetInt32() + t.GetProperty("cancelledAttempts").GetInt32());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Demo_Interrupted_StopsCleanlyWithTheReportSoFar(bool virtualTime)
    {
        using var ctrlC = new CancellationTokenSource();
        await ctrlC.CancelAsync();
        string[] args = virtualTime ? ["demo", "--duration", "30s", "--json", "--virtual-time"] : ["demo", "--duration", "30s", "--json"];

        var result = await _cli.RunAsync(ctrlC.Token, args);

        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.True(result.Json.GetProperty("interrupted").GetBoolean());
        Assert.Equal(0, result.Json.GetProperty("totals").GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Demo_Parallel_RunsTheRace()
    {
        var result = await _cli.RunAsync("demo", "--virtual-time", "--duration", "2s", "--parallel", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("race", result.Json.GetProperty("mode").GetString());
        Assert.True(result.Json.GetProperty("parallel").GetBoolean());
    }

    [Theory]
    [InlineData("--duration", "0s")]
    [InlineData("--duration", "2h")]
    [InlineData("--duration", "fast")]
    [InlineData("--concurrency", "0")]
    [InlineData("--seed", "abc")]
    [InlineData("--mode", "fastest")]
    [InlineData("--parallel", "--mode", "sequential")]
    public async Task Demo_BadArguments_UsageErrorAndNoDatabase(params string[] args)
    {
        var result = await _cli.RunAsync(["demo", .. args]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.Database));
    }
}
