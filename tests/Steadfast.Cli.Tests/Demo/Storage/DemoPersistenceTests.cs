using System.Text.Json;
using System.Text.RegularExpressions;
using Steadfast.Cli.Demo;

namespace Steadfast.Cli.Tests.Demo.Storage;

// A full or failing disk never costs the run (issue 11): the engine learns on in memory, the run says "persistence degraded"
// once, and the report is complete. In virtual time the store does not steer the run, so its figures are those of a run on a
// working disk, to the last attempt.
[Collection(VirtualTimeCollection.Name)]
public sealed partial class DemoPersistenceTests : IDisposable
{
    private readonly CliRunner _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Demo_StoreFailsAtStart_RunsInMemoryWithTheFiguresOfAWorkingDisk()
    {
        var disk = FullDisk.FromStart();

        var healthy = await DemoHarness.RunAsync(_folder.Database, FullDisk.After(int.MaxValue).Open);
        var degraded = await DemoHarness.RunAsync(_folder.Database, disk.Open);

        Assert.False(healthy.Report.Persistence.Degraded);
        Assert.True(degraded.Report.Persistence.Degraded);
        Assert.Contains(FullDisk.IoMessage, degraded.Report.Persistence.Reason, StringComparison.Ordinal);
        Assert.True(degraded.Report.Totals.Calls > 0);
        Assert.Equal(Figures(healthy.Report), Figures(degraded.Report));
        AssertSaidOnce(degraded, FullDisk.IoMessage);
        Assert.Null(degraded.Report.FailuresOnRecord); // nothing reached the disk: no "on record" figure is claimed
        Assert.Contains("Failures on record │ not known: persistence degraded", Squeeze(degraded.Text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_DiskFullMidRun_RunsOnInMemoryWithTheFiguresOfAWorkingDisk()
    {
        var disk = FullDisk.After(writes: 2);

        var healthy = await DemoHarness.RunAsync(_folder.Database, FullDisk.After(int.MaxValue).Open);
        var degraded = await DemoHarness.RunAsync(_folder.Database, disk.Open);

        Assert.True(disk.Failures > 0);
        Assert.True(degraded.Report.Persistence.Degraded);
        Assert.Contains(FullDisk.FullMessage, degraded.Report.Persistence.Reason, StringComparison.Ordinal);
        Assert.Equal(Figures(healthy.Report), Figures(degraded.Report));
        AssertSaidOnce(degraded, FullDisk.FullMessage);
        Assert.Contains("Steadfast demo report", degraded.Text, StringComparison.Ordinal);
        Assert.Contains("What the providers saw", degraded.Text, StringComparison.Ordinal); // the report is printed in full
    }

    [Fact]
    public async Task Demo_WorkingDisk_SaysNothingAboutPersistence()
    {
        var run = await DemoHarness.RunAsync(_folder.Database);

        Assert.False(run.Report.Persistence.Degraded);
        Assert.Null(run.Report.Persistence.Reason);
        Assert.DoesNotContain("persistence degraded", run.Text + run.Error, StringComparison.Ordinal);
        Assert.NotNull(run.Report.FailuresOnRecord);
    }

    /// <summary>The run's figures: what the callers and the providers saw.</summary>
    private static string Figures(DemoReport report) =>
        JsonSerializer.Serialize(new { report.Totals, Providers = report.Providers.Select(p => p.Counts) });

    /// <summary>The reason is said once on standard error and once in the report, never per call.</summary>
    private static void AssertSaidOnce(HarnessRun run, string reason)
    {
        var warning = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("warning: persistence degraded: ", warning, StringComparison.Ordinal);
        Assert.Contains(reason, warning, StringComparison.Ordinal);
        Assert.Single(Degraded().Matches(Flat(run.Text)));
    }

    private static string Flat(string text) => text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Squeeze(string text) => Spaces().Replace(Flat(text), " ");

    [GeneratedRegex("persistence degraded: ")]
    private static partial Regex Degraded();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
