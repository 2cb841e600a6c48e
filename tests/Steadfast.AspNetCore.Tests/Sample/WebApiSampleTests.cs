using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Steadfast.AspNetCore.Tests.Sample;

/// <summary>The sample web API, started with WebApplicationFactory: its endpoints answer through the flaky upstreams.</summary>
public sealed class WebApiSampleTests : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly WebApplicationFactory<Program> _factory;

    public WebApiSampleTests(WebApplicationFactory<Program> factory) => _factory = factory;

    [Fact]
    public async Task Weather_FlakyUpstream_EveryRequestAnswered()
    {
        using var client = _factory.CreateClient();

        // The simulated weather service fails every third request (503): the resilience handler retries each one.
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(new Uri("/weather/oslo", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"city\":\"oslo\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Quotes_FirstMirrorDown_AnsweredByAnotherMirror()
    {
        using var client = _factory.CreateClient();

        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(new Uri("/quotes/ACME", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"symbol\":\"ACME\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("quotes-a", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_BeforeAnyCall_HealthyWithSteadfastsOwnChecks()
    {
        // A factory of its own: the other tests' calls may have opened a circuit, which /health would rightly report.
        await using var factory = new WebApplicationFactory<Program>();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        var checks = factory.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Contains(checks, r => r.Name == "steadfast-circuits");
    }

    [Fact]
    public async Task Dashboard_Mapped_ServesThePageAndTheCircuits()
    {
        using var client = _factory.CreateClient();

        using var page = await client.GetAsync(new Uri("/steadfast/", UriKind.Relative));
        using var circuits = await client.GetAsync(new Uri("/steadfast/circuits", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, circuits.StatusCode);
        Assert.Equal("application/json", circuits.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metrics_AfterACall_ExposesSteadfastInstruments()
    {
        using var client = _factory.CreateClient();
        using (var call = await client.GetAsync(new Uri("/quotes/ACME", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("steadfast_engine_executions", text, StringComparison.Ordinal);
        Assert.Contains("steadfast_engine_attempts", text, StringComparison.Ordinal);
    }
}
