using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task GetHealth_WithComponents_ListsEachWithStatusLatencyAndOverall()
    {
        await using var host = await TestHost.StartAsync();
        var monitor = host.Services.GetRequiredService<HealthMonitor>();
        monitor.RegisterComponent("database", _ => Task.FromResult(HealthCheckResult.Healthy("ok")), ComponentSeverity.High);
        monitor.RegisterComponent("openai", _ => Task.FromResult(HealthCheckResult.Unhealthy("token sk-abcdefghijklmnopqrstuvwxyz0123456789 refused")));
        await monitor.CheckNowAsync();

        using var response = await host.Client().GetAsync("/steadfast/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz0123456789", body, StringComparison.Ordinal);
        var health = JsonDocument.Parse(body).RootElement;
        Assert.Equal(monitor.OverallStatus.ToString(), health.GetProperty("status").GetString());
        var components = health.GetProperty("components");
        Assert.Equal(2, components.GetArrayLength());
        var database = components[0];
        Assert.Equal("database", database.GetProperty("name").GetString());
        Assert.Equal("Healthy", database.GetProperty("status").GetString());
        Assert.Equal("High", database.GetProperty("severity").GetString());
        Assert.True(database.GetProperty("latencyMs").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.String, database.GetProperty("lastCheckedAt").ValueKind);
        Assert.Equal(0, database.GetProperty("consecutiveFailures").GetInt32());
        var openai = components[1];
        Assert.NotEqual("Healthy", openai.GetProperty("status").GetString());
        Assert.Equal(1, openai.GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task GetMode_ComponentDegraded_ShowsModeComponentAndReason()
    {
        await using var host = await TestHost.StartAsync();
        await host.Services.GetRequiredService<OperationModeManager>().MarkComponentDegradedAsync("openai", "timeouts", ComponentSeverity.Medium);

        var mode = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/mode");

        Assert.Equal("Degraded", mode.GetProperty("mode").GetString());
        var degraded = Assert.Single(mode.GetProperty("degradedComponents").EnumerateArray());
        Assert.Equal("openai", degraded.GetProperty("name").GetString());
        Assert.Equal("timeouts", degraded.GetProperty("reason").GetString());
        Assert.Contains(mode.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("description").GetString() == "timeouts");
    }

    [Fact]
    public async Task GetMode_Nothing_IsNormalWithNoReasons()
    {
        await using var host = await TestHost.StartAsync();

        var mode = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/mode");

        Assert.Equal("Normal", mode.GetProperty("mode").GetString());
        Assert.Equal(0, mode.GetProperty("degradedComponents").GetArrayLength());
        Assert.Equal(0, mode.GetProperty("reasons").GetArrayLength());
    }

    [Fact]
    public async Task PostMode_MutationsOffByDefault_Returns403AndLeavesMode()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().PostAsJsonAsync("/steadfast/mode", new { mode = "emergency", reason = "drill" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(OperationMode.Normal, host.Services.GetRequiredService<OperationModeManager>().CurrentMode);
    }

    [Fact]
    public async Task PostMode_MutationsAllowedWithToken_SetsModeAndReturnsIt()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "mode", new { mode = "Emergency", reason = "planned maintenance" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mode = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Emergency", mode.GetProperty("mode").GetString());
        Assert.Contains(mode.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("description").GetString() == "planned maintenance");
        Assert.Equal(OperationMode.Emergency, host.Services.GetRequiredService<OperationModeManager>().CurrentMode);
    }

    [Fact]
    public async Task PostMode_WithoutAntiforgeryToken_Returns400()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await host.Client().PostAsJsonAsync("/steadfast/mode", new { mode = "degraded", reason = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(OperationMode.Normal, host.Services.GetRequiredService<OperationModeManager>().CurrentMode);
    }

    [Theory]
    [InlineData("sideways", "because", "mode")]
    [InlineData(null, "because", "mode")]
    [InlineData("degraded", null, "reason")]
    public async Task PostMode_Invalid_Returns400NamingTheField(string? modeName, string? reason, string field)
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "mode", new { mode = modeName, reason });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(OperationMode.Normal, host.Services.GetRequiredService<OperationModeManager>().CurrentMode);
    }

    [Fact]
    public async Task PostMode_NormalWithoutReason_LiftsTheFloor()
    {
        await using var host = await TestHost.StartAsync(mutations: true);
        var modes = host.Services.GetRequiredService<OperationModeManager>();
        await modes.SetModeAsync(OperationMode.Degraded, "drill");

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "mode", new { mode = "normal" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OperationMode.Normal, modes.CurrentMode);
    }
}
