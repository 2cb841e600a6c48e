using Microsoft.Extensions.Time.Testing;
using Steadfast.Cli.Demo;
using Steadfast.Cli.Demo.Storage;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Demo;

/// <summary>
/// Runs the demo's <see cref="DemoRunner"/> in-process in virtual time, with the seams the command line does not offer: the
/// stores under it (a failing disk) and a hook after each call (Ctrl+C at a chosen call). Renders the report as the command does.
/// </summary>
internal static class DemoHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One 5 s virtual-time run, sequential, seed 42, on <paramref name="database"/>.</summary>
    public static async Task<HarnessRun> RunAsync(string database, DemoStoreFactory? stores = null, Action<DemoTotals>? callCounted = null,
        CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = CliContext.ForWriters(output, error, new FakeTimeProvider(Start));
        var settings = new DemoSettings(database, TimeSpan.FromSeconds(5), Seed: 42, ExecutionMode.Sequential, Fresh: false, Concurrency: 4, VirtualTime: true);
        var report = await new DemoRunner(context, settings, stores) { CallCounted = callCounted }.RunAsync(cancellationToken);
        DemoRenderer.Render(context.Console, report);
        return new HarnessRun(report, output.ToString(), error.ToString());
    }
}

/// <summary>A run's report, its tables and what it wrote to standard error.</summary>
internal sealed record HarnessRun(DemoReport Report, string Text, string Error);
