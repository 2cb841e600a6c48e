using Spectre.Console;
using Steadfast.Cli.Demo;
using Steadfast.Cli.Demo.Storage;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Demo;

public sealed class DemoLiveViewTests
{
    private static readonly DemoSettings Settings = new("demo.db", TimeSpan.FromSeconds(20), 42, ExecutionMode.Sequential, Fresh: false, Concurrency: 4);

    [Fact]
    public async Task View_StoreFailed_SaysPersistenceDegradedWithTheReason()
    {
        var said = new List<string>();
        var watch = new PersistenceWatch(said.Add);
        watch.Report(new StoreException(StoreFailure.Full, "SqliteFailureStore", "demo.db", "SqliteFailureStore could not write in 'demo.db': the disk is full.", null));
        watch.Report(new StoreException(StoreFailure.Full, "SqliteFailureStore", "demo.db", "a second failure is not said again", null));

        var text = await RenderAsync(watch);

        Assert.Contains("persistence degraded: SqliteFailureStore could not write in 'demo.db': the disk is full.", text, StringComparison.Ordinal);
        Assert.Contains("goes on in memory", text, StringComparison.Ordinal);
        Assert.Equal(["SqliteFailureStore could not write in 'demo.db': the disk is full."], said);
    }

    [Fact]
    public async Task View_StoresWork_SaysNothingAboutPersistence()
    {
        var text = await RenderAsync(new PersistenceWatch());

        Assert.Contains("calls 0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("persistence", text, StringComparison.Ordinal);
    }

    private static async Task<string> RenderAsync(PersistenceWatch watch)
    {
        using var output = new StringWriter();
        var context = CliContext.ForWriters(output, TextWriter.Null, width: 200);
        await using var registry = new CircuitBreakerRegistry();
        var totals = new DemoStats(DemoScenario.Providers.Select(p => p.Name)).Snapshot();
        context.Console.Write(DemoLiveView.View(Settings, totals, registry, watch, progress: 0.5));
        return output.ToString();
    }
}
