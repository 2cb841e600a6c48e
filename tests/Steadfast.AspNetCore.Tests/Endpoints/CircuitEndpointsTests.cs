using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class CircuitEndpointsTests
{
    [Fact]
    public async Task GetCircuits_WithCircuits_ListsEachWithStateAndCounts()
    {
        await using var host = await TestHost.StartAsync();
        var breaker = host.Circuits.GetOrCreate("billing/primary");
        breaker.RecordSuccess();
        host.Circuits.GetOrCreate("quotes/a").Isolate();

        using var response = await host.Client().GetAsync("/steadfast/circuits");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var circuits = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, circuits.GetArrayLength());
        Assert.Equal("billing/primary", circuits[0].GetProperty("name").GetString());
        Assert.Equal("Closed", circuits[0].GetProperty("state").GetString());
        Assert.Equal(1, circuits[0].GetProperty("calls").GetProperty("successes").GetInt64());
        Assert.Equal("Isolated", circuits[1].GetProperty("state").GetString());
    }

    [Fact]
    public async Task GetCircuit_NameWithSlash_ReturnsIt()
    {
        await using var host = await TestHost.StartAsync();
        host.Circuits.GetOrCreate("billing/primary");

        using var response = await host.Client().GetAsync("/steadfast/circuits/" + Uri.EscapeDataString("billing/primary"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var circuit = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("billing/primary", circuit.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetCircuit_Unknown_Returns404Problem()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().GetAsync("/steadfast/circuits/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetCircuit_LastErrorWithSecret_IsRedacted()
    {
        await using var host = await TestHost.StartAsync();
        var breaker = host.Circuits.GetOrCreate("billing");
        breaker.RecordFailure(new HttpRequestException("call failed: Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789"));

        var body = await host.Client().GetStringAsync("/steadfast/circuits/billing");

        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz0123456789", body, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostState_MutationsOffByDefault_Returns403AndLeavesCircuit()
    {
        await using var host = await TestHost.StartAsync();
        var breaker = host.Circuits.GetOrCreate("billing");

        using var response = await host.Client().PostAsJsonAsync("/steadfast/circuits/billing/state", new { state = "isolate" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("AllowMutations", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Theory]
    [InlineData("isolate", CircuitState.Isolated)]
    [InlineData("reset", CircuitState.Closed)]
    [InlineData("close", CircuitState.Closed)]
    public async Task PostState_MutationsAllowed_AppliesAction(string action, CircuitState expected)
    {
        await using var host = await TestHost.StartAsync(mutations: true);
        var breaker = host.Circuits.GetOrCreate("billing/primary");
        if (action != "isolate")
        {
            breaker.Isolate();
        }

        using var response = await TestHost.SendWithTokenAsync(
            host.Client(), HttpMethod.Post, "circuits/" + Uri.EscapeDataString("billing/primary") + "/state", new { state = action });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, breaker.State);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected.ToString(), view.GetProperty("state").GetString());
    }

    [Fact]
    public async Task PostState_UnknownAction_Returns400NamingState()
    {
        await using var host = await TestHost.StartAsync(mutations: true);
        host.Circuits.GetOrCreate("billing");

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "circuits/billing/state", new { state = "explode" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("close, isolate, reset", problem.GetProperty("errors").GetProperty("state")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostState_MalformedJson_Returns400Problem()
    {
        await using var host = await TestHost.StartAsync(mutations: true);
        host.Circuits.GetOrCreate("billing");

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "circuits/billing/state", new { state = 3 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostState_UnknownCircuit_Returns404()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "circuits/nope/state", new { state = "reset" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostState_WithoutAntiforgeryToken_Returns400AndLeavesCircuit()
    {
        await using var host = await TestHost.StartAsync(mutations: true);
        var breaker = host.Circuits.GetOrCreate("billing");

        using var response = await host.Client().PostAsJsonAsync("/steadfast/circuits/billing/state", new { state = "isolate" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anti-forgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }
}
