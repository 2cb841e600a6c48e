using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Steadfast.Cli.Demo;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Demo.Dashboard;

// steadfast demo --dashboard: the dashboard is served on 127.0.0.1 while the demo runs; without the flag nothing is served.
[Collection(VirtualTimeCollection.Name)]
public sealed class DemoDashboardTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_DashboardPortGiven_ServesTheDemosCircuitsWhileRunning()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = CliContext.ForWriters(output, error, new FakeTimeProvider(DemoHarness.Start));
        var settings = new DemoSettings(_cli.Database, TimeSpan.FromSeconds(5), Seed: 42, ExecutionMode.Sequential, Fresh: false, Concurrency: 4,
            VirtualTime: true, DashboardPort: 0);
        Uri? served = null;
        string? page = null, circuits = null;
        var runner = new DemoRunner(context, settings)
        {
            DashboardStarted = address =>
            {
                // Called while the demo runs: the dashboard answers from the demo's own registry.
                using var http = new HttpClient();
                served = address;
                page = http.GetStringAsync(address).GetAwaiter().GetResult();
                circuits = http.GetStringAsync(new Uri(address, "circuits")).GetAwaiter().GetResult();
            },
        };

        await runner.RunAsync(CancellationToken.None);

        Assert.NotNull(served);
        Assert.Equal("127.0.0.1", served.Host);
        Assert.Equal("/steadfast/", served.AbsolutePath);
        Assert.Contains("dashboard.js", page, StringComparison.Ordinal);
        var names = JsonDocument.Parse(circuits!).RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray();
        Assert.Contains(names, n => n!.StartsWith("fetch_quote/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_DashboardPortZero_PrintsAddress()
    {
        var result = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--json", "--dashboard-port", "0"));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Matches(@"Dashboard: http://127\.0\.0\.1:\d+/steadfast/", result.Error);
        Assert.True(result.Json.GetProperty("totals").GetProperty("calls").GetInt32() > 0);
    }

    [Fact]
    public async Task Demo_WithoutDashboard_ServesNothing()
    {
        var result = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--json"));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.DoesNotContain("Dashboard:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_DashboardPortOutOfRange_IsUsageError()
    {
        var result = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--dashboard-port", "70000"));

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--dashboard-port", result.Error, StringComparison.Ordinal);
    }
}
