using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Steadfast.Cli.Demo;
using Steadfast.Cli.Demo.Health;

namespace Steadfast.Cli.Tests.Demo.Health;

// The demo watches its providers with a HealthMonitor (a ping every second, on the run's virtual clock) and an
// OperationModeManager fed by it. primary_api is down from 20% to 70% of the run: on a 10 s run, from 2 s to 7 s.
[Collection(VirtualTimeCollection.Name)]
public sealed class DemoHealthTests
{
    private static readonly string[] TenSeconds = ["demo", "--virtual-time", "--duration", "10s", "--json"];

    [Fact]
    public async Task Demo_PrimaryApiOutage_ComponentUnhealthyAndModeDegradedDuringItNormalAfter()
    {
        using var cli = new CliRunner();
        var run = await cli.RunAsync(TenSeconds);
        Assert.True(run.ExitCode == 0, run.Error);
        var started = Time(run.Json, "startedAt");
        var health = run.Json.GetProperty("health");
        double At(JsonElement e) => (Time(e, "at") - started).TotalSeconds;

        // The component: unhealthy only inside the outage, healthy again after it; the other providers never change.
        var changes = health.GetProperty("componentChanges").EnumerateArray().ToList();
        Assert.All(changes, c => Assert.Equal("primary_api", c.GetProperty("component").GetString()));
        var unhealthy = Assert.Single(changes, c => c.GetProperty("to").GetString() == "unhealthy");
        Assert.InRange(At(unhealthy), 2, 7);
        Assert.Contains("connection refused", unhealthy.GetProperty("description").GetString(), StringComparison.Ordinal);
        var recovered = Assert.Single(changes, c => c.GetProperty("to").GetString() == "healthy");
        Assert.True(At(recovered) >= 7, $"healthy again at {At(recovered)} s, before the outage ended");
        Assert.True(At(recovered) > At(unhealthy));

        // The mode: Normal -> Degraded during the outage (never Emergency: the component is of medium severity), Normal after.
        var transitions = health.GetProperty("transitions").EnumerateArray().ToList();
        Assert.Equal(2, transitions.Count);
        Assert.Equal(("normal", "degraded"), (transitions[0].GetProperty("from").GetString(), transitions[0].GetProperty("to").GetString()));
        Assert.InRange(At(transitions[0]), 2, 7);
        Assert.Contains(transitions[0].GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("primary_api:", StringComparison.Ordinal));
        Assert.Equal(("degraded", "normal"), (transitions[1].GetProperty("from").GetString(), transitions[1].GetProperty("to").GetString()));
        Assert.True(At(transitions[1]) >= 7);
        Assert.Equal("normal", health.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Demo_AnyRun_ReportListsEveryComponentWithStatusAndLatency()
    {
        using var json = new CliRunner();
        using var text = new CliRunner();
        var asJson = await json.RunAsync(DemoRuns.DemoArgs("sequential", "--json"));
        var asText = await text.RunAsync(DemoRuns.DemoArgs("sequential"));
        Assert.True(asJson.ExitCode == 0, asJson.Error);
        Assert.True(asText.ExitCode == 0, asText.Error);

        var components = asJson.Json.GetProperty("health").GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(DemoScenario.Providers.Select(p => p.Name).Order(StringComparer.Ordinal), components.Select(c => c.GetProperty("name").GetString()));
        Assert.All(components, c =>
        {
            Assert.Contains(c.GetProperty("status").GetString(), new[] { "healthy", "degraded", "unhealthy" });
            Assert.True(c.GetProperty("latencyMs").GetDouble() >= 0);
        });

        Assert.Contains("Health:", asText.Output, StringComparison.Ordinal);
        var rows = asText.Output.Split('\n').Where(l => l.Contains(" ms", StringComparison.Ordinal)).ToList();
        Assert.All(DemoScenario.Providers, p => Assert.Contains(rows, r => r.Contains(p.Name, StringComparison.Ordinal)
            && (r.Contains("Healthy", StringComparison.Ordinal) || r.Contains("Degraded", StringComparison.Ordinal) || r.Contains("Unhealthy", StringComparison.Ordinal))));
    }

    [Fact]
    public void HealthLine_SomeNotHealthy_NamesThemAndTheMode()
    {
        var line = DemoLiveView.HealthLine(OperationMode.Degraded, [new ComponentReport("primary_api", HealthStatus.Unhealthy, 0, "down", null)]);

        Assert.Contains("Degraded", line, StringComparison.Ordinal);
        Assert.Contains("primary_api", line, StringComparison.Ordinal);
        Assert.Contains("Unhealthy", line, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthLine_AllHealthy_SaysSo()
    {
        var line = DemoLiveView.HealthLine(OperationMode.Normal, []);

        Assert.Contains("Normal", line, StringComparison.Ordinal);
        Assert.Contains("all components healthy", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_InAndOutOfOutage_RefusedOnlyInsideAndNeverCounted()
    {
        var progress = 0.5;
        var primary = DemoScenario.Providers[0];
        var provider = new SimulatedProvider(primary, seed: 1, TimeProvider.System, () => progress);

        Assert.NotNull(provider.Ping());
        progress = 0.1;
        Assert.Null(provider.Ping());
        progress = 0.7;
        Assert.Null(provider.Ping());
        Assert.Equal(0, provider.Counts.Requests);
    }

    private static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
