using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class SecurityTests
{
    [Theory]
    [InlineData("/steadfast/circuits")]
    [InlineData("/steadfast/blacklist")]
    [InlineData("/steadfast/failures")]
    [InlineData("/steadfast/events")]
    [InlineData("/steadfast/")]
    public async Task Get_RequireAuthorizationWithoutUser_Returns401(string path)
    {
        await using var host = await TestHost.StartAsync(requireAuthorization: true);

        using var response = await host.Client().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_RequireAuthorizationUserWithoutPolicy_Returns403()
    {
        await using var host = await TestHost.StartAsync(requireAuthorization: true);

        using var response = await host.Client(user: "guest").GetAsync("/steadfast/circuits");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Get_RequireAuthorizationUserWithPolicy_Returns200()
    {
        await using var host = await TestHost.StartAsync(requireAuthorization: true);

        using var response = await host.Client(user: "alice").GetAsync("/steadfast/circuits");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostState_MutationsAllowedButUnauthorized_Returns401AndLeavesCircuit()
    {
        await using var host = await TestHost.StartAsync(mutations: true, requireAuthorization: true);
        var breaker = host.Circuits.GetOrCreate("billing");

        using var response = await host.Client().PostAsJsonAsync("/steadfast/circuits/billing/state", new { state = "isolate" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task PostState_MutationsAllowedAndAuthorized_Applies()
    {
        await using var host = await TestHost.StartAsync(mutations: true, requireAuthorization: true);
        var breaker = host.Circuits.GetOrCreate("billing");

        using var response = await TestHost.SendWithTokenAsync(host.Client(user: "alice"), HttpMethod.Post, "circuits/billing/state", new { state = "isolate" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CircuitState.Isolated, breaker.State);
    }

    [Fact]
    public async Task GetAntiforgery_MutationsOff_Returns403()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().GetAsync("/steadfast/antiforgery");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task MapSteadfast_MutationsWithoutAntiforgeryService_ThrowsNamingTheFix()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => TestHost.StartAsync(mutations: true, antiforgery: false));

        Assert.Contains("AddAntiforgery", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapSteadfast_MutationsOffWithoutAntiforgeryService_Starts()
    {
        await using var host = await TestHost.StartAsync(mutations: false, antiforgery: false);

        using var response = await host.Client().GetAsync("/steadfast/circuits");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MapSteadfast_InvalidOptions_ThrowsNamingOption()
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => TestHost.StartAsync(web: o => o.EventInterval = TimeSpan.Zero));

        Assert.Contains("SteadfastWebOptions.EventInterval", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass() => new SteadfastWebOptions().Validate();

    [Theory]
    [InlineData(-1)]
    [InlineData(SteadfastWebOptions.MaxMaxAttemptEventsPerInterval + 1)]
    public void Validate_AttemptEventsOutOfRange_Throws(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SteadfastWebOptions { MaxAttemptEventsPerInterval = value }.Validate());

        Assert.Contains("SteadfastWebOptions.MaxAttemptEventsPerInterval", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyQueueName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SteadfastWebOptions { QueueNames = ["orders", " "] }.Validate());

        Assert.Contains("SteadfastWebOptions.QueueNames", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clone_ChangingCopyQueueNames_LeavesOriginal()
    {
        var original = new SteadfastWebOptions { QueueNames = ["orders"] };

        var copy = original.Clone();
        copy.QueueNames.Add("mail");

        Assert.Single(original.QueueNames);
    }

    [Fact]
    public void MapSteadfast_ReturnsConventionBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSteadfast();
        var app = builder.Build();

        var group = app.MapSteadfast();

        Assert.IsAssignableFrom<Microsoft.AspNetCore.Builder.IEndpointConventionBuilder>(group);
    }
}
