using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Demo;

// Ctrl+C stops the calls, never the report: the command prints what the run did so far and exits 130.
[Collection(VirtualTimeCollection.Name)]
public sealed class DemoInterruptTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Demo_CtrlCAfterFiftyCalls_ReportsExactlyThoseCallsAsInterrupted()
    {
        using var ctrlC = new CancellationTokenSource();

        var run = await DemoHarness.RunAsync(_cli.Database, callCounted: t =>
        {
            if (t.Calls == 50)
            {
                ctrlC.Cancel();
            }
        }, cancellationToken: ctrlC.Token);

        Assert.True(run.Report.Interrupted);
        Assert.Equal(50, run.Report.Totals.Calls); // calls in flight at Ctrl+C are not counted
        Assert.Equal(run.Report.Totals.Calls, run.Report.Totals.Succeeded + run.Report.Totals.Failed);
        Assert.True(run.Report.ElapsedSeconds < 5);
        Assert.Contains("interrupted, report so far", run.Text, StringComparison.Ordinal);
        Assert.Contains("What the providers saw", run.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Demo_CtrlC_ExitCode130WithTheReportPrinted(bool json)
    {
        using var ctrlC = new CancellationTokenSource();
        await ctrlC.CancelAsync();
        string[] args = json ? ["demo", "--virtual-time", "--duration", "30s", "--json"] : ["demo", "--virtual-time", "--duration", "30s"];

        var result = await _cli.RunAsync(ctrlC.Token, args);

        Assert.Equal(ExitCodes.Interrupted, result.ExitCode);
        Assert.Equal(130, ExitCodes.Interrupted);
        if (json)
        {
            Assert.True(result.Json.GetProperty("interrupted").GetBoolean());
        }
        else
        {
            Assert.Contains("Steadfast demo report", result.Output, StringComparison.Ordinal);
            Assert.Contains("interrupted, report so far", result.Output, StringComparison.Ordinal);
        }
    }
}
