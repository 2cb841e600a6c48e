using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Commands;

// The demo simulates services in real time; these runs are kept to a second each.
public sealed class DemoCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Demo_RunTwice_SecondRunStartsFromWhatTheFirstLearned()
    {
        var first = await _cli.RunAsync("demo", "--duration", "1s", "--seed", "7", "--json");
        var second = await _cli.RunAsync("demo", "--duration", "1s", "--seed", "7", "--json");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.Json.GetProperty("startedFrom").ValueKind);
        Assert.True(first.Json.GetProperty("totals").GetProperty("calls").GetInt32() > 0);

        var prior = second.Json.GetProperty("startedFrom");
        Assert.True(prior.GetProperty("strategiesWithStatistics").GetInt32() > 0);
        // Exactly the failures the first run recorded. Not "> 0": the demo runs on the real clock, and a 1 s run on a
        // loaded machine may make only a few calls, none of them failing.
        Assert.Equal(first.Json.GetProperty("totals").GetProperty("failedAttempts").GetInt32(), prior.GetProperty("failuresOnRecord").GetInt64());
        Assert.Equal(
            first.Json.GetProperty("totals").GetProperty("calls").GetInt32(),
            prior.GetProperty("previousRun").GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Demo_Fresh_ForgetsEarlierRuns()
    {
        await _cli.RunAsync("demo", "--duration", "1s", "--json");

        var fresh = await _cli.RunAsync("demo", "--duration", "1s", "--fresh", "--json");

        Assert.Equal(ExitCodes.Success, fresh.ExitCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fresh.Json.GetProperty("startedFrom").ValueKind);
    }

    [Fact]
    public async Task Demo_TablesReport_ShowsTheFiguresAndWhatWasLearned()
    {
        var result = await _cli.RunAsync("demo", "--duration", "1s");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var expected in new[] { "Steadfast demo report", "Time to success p50 / p95 / p99", "Attempts per success", "Calls circuits saved", "Wins per strategy", "Pattern:", "started fresh" })
        {
            Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Demo_Interrupted_StopsCleanlyWithTheReportSoFar()
    {
        using var ctrlC = new CancellationTokenSource();
        await ctrlC.CancelAsync();

        var result = await _cli.RunAsync(ctrlC.Token, "demo", "--duration", "30s", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.True(result.Json.GetProperty("interrupted").GetBoolean());
        Assert.Equal(0, result.Json.GetProperty("totals").GetProperty("calls").GetInt32());
    }

    [Theory]
    [InlineData("--duration", "0s")]
    [InlineData("--duration", "2h")]
    [InlineData("--duration", "fast")]
    [InlineData("--concurrency", "0")]
    [InlineData("--seed", "abc")]
    public async Task Demo_BadArguments_UsageErrorAndNoDatabase(string option, string value)
    {
        var result = await _cli.RunAsync("demo", option, value);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.Database));
    }
}
