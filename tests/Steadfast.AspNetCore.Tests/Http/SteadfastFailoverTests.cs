using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Steadfast.AspNetCore.Tests.TestSupport;

namespace Steadfast.AspNetCore.Tests.Http;

/// <summary>AddSteadfastFailover across real Kestrel upstreams on 127.0.0.1 (and a port where nothing listens).</summary>
public sealed class SteadfastFailoverTests
{
    private static HttpClientHost Host(Uri[] endpoints, ExecutionMode mode = ExecutionMode.Sequential, Action<SteadfastHttpClientOptions>? tweak = null) =>
        HttpClientHost.Create(c => c.AddSteadfastFailover([.. endpoints.Select(e => e.ToString())], mode, o =>
        {
            HttpClientHost.Fast(o);
            o.Engine.MaxAttempts = 1;
            tweak?.Invoke(o);
        }));

    [Fact]
    public async Task SendAsync_DeadFirstEndpoint_NextEndpointAnswers()
    {
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200, body: "b"));
        await using var host = Host([Upstream.DeadEndpoint(), b.Address]);

        using var response = await host.Client().GetAsync(new Uri("/quotes/42", UriKind.Relative));

        Assert.Equal("b", await response.Content.ReadAsStringAsync());
        Assert.Equal([("/quotes/42", "")], b.Received);
    }

    [Fact]
    public async Task SendAsync_HealthyFirstEndpoint_OnlyTheFirstIsCalled()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200, body: "a"));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200, body: "b"));
        await using var host = Host([a.Address, b.Address]);

        for (var i = 0; i < 5; i++)
        {
            using var response = await host.Client().GetAsync(new Uri("/quotes", UriKind.Relative));
            Assert.Equal("a", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(5, a.Requests);
        Assert.Equal(0, b.Requests);
    }

    [Fact]
    public async Task SendAsync_FailingFirstEndpoint_LearnedAndSkippedOnLaterRequests()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Status(c, 500));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200, body: "b"));
        await using var host = Host([a.Address, b.Address]);

        for (var i = 0; i < 10; i++)
        {
            using var response = await host.Client().GetAsync(new Uri("/quotes", UriKind.Relative));
            Assert.Equal("b", await response.Content.ReadAsStringAsync());
        }

        // Every request succeeded; the failing endpoint was ranked down after its first failures and no longer tried first.
        Assert.Equal(10, b.Requests);
        Assert.InRange(a.Requests, 1, 3);
    }

    [Fact]
    public async Task SendAsync_BadRequestFromFirstEndpoint_ReturnedWithoutFailover()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Status(c, 400));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200));
        await using var host = Host([a.Address, b.Address]);

        using var response = await host.Client().GetAsync(new Uri("/quotes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, b.Requests);
    }

    [Fact]
    public async Task SendAsync_ServerErrorFromFirstEndpoint_PostBodyAndQuerySentToTheNext()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Status(c, 503));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200));
        await using var host = Host([a.Address, b.Address]);

        using var content = new StringContent("{\"symbol\":\"ACME\"}", Encoding.UTF8, "application/json");
        using var response = await host.Client().PostAsync(new Uri("/quotes?fresh=1", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("/quotes?fresh=1", "{\"symbol\":\"ACME\"}")], a.Received);
        Assert.Equal([("/quotes?fresh=1", "{\"symbol\":\"ACME\"}")], b.Received);
    }

    [Fact]
    public async Task SendAsync_EveryEndpointFails_LastFailedResponseReturned()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Status(c, 503, body: "a"));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 502, body: "b"));
        await using var host = Host([a.Address, b.Address]);

        using var response = await host.Client().GetAsync(new Uri("/quotes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("b", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendAsync_EveryEndpointDead_ConnectionErrorThrown()
    {
        await using var host = Host([Upstream.DeadEndpoint(), Upstream.DeadEndpoint()]);

        await Assert.ThrowsAsync<HttpRequestException>(() => host.Client().GetAsync(new Uri("/quotes", UriKind.Relative)));
    }

    [Fact]
    public async Task SendAsync_HangingFirstEndpointInSequence_CutByTimeoutThenNextAnswers()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Hang(c));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200, body: "b"));
        await using var host = Host([a.Address, b.Address]);

        var sending = host.Client().GetAsync(new Uri("/quotes", UriKind.Relative));
        await a.WaitForRequestAsync(1);
        Assert.Equal(0, b.Requests);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        using var response = await sending;

        Assert.Equal("b", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendAsync_RaceWithHangingEndpoint_FastEndpointWins()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Hang(c));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200, body: "b"));
        await using var host = Host([a.Address, b.Address], ExecutionMode.Race);

        using var response = await host.Client().GetAsync(new Uri("/quotes", UriKind.Relative));

        Assert.Equal("b", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, b.Requests);
    }

    [Fact]
    public async Task SendAsync_HedgedWithSlowLeader_NextEndpointStartsOnlyAfterTheHedgeDelay()
    {
        await using var a = await Upstream.StartAsync((_, c) => Upstream.Hang(c));
        await using var b = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200, body: "b"));
        await using var host = Host([a.Address, b.Address], ExecutionMode.Hedged, o => o.Engine.HedgeDelay = TimeSpan.FromSeconds(1));

        var sending = host.Client().GetAsync(new Uri("/quotes", UriKind.Relative));
        await a.WaitForRequestAsync(1);
        await host.Time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(0, b.Requests);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await sending;

        Assert.Equal("b", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, b.Requests);
    }

    [Fact]
    public void AddSteadfastFailover_InvalidEndpoints_Rejected()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddHttpClient("a").AddSteadfastFailover([]));
        Assert.Throws<ArgumentException>(() => services.AddHttpClient("b").AddSteadfastFailover(["/relative"]));
        Assert.Throws<ArgumentException>(() => services.AddHttpClient("c").AddSteadfastFailover(["ftp://files.example"]));
        Assert.Throws<ArgumentException>(() => services.AddHttpClient("d").AddSteadfastFailover(["https://x.example/a", "https://x.example/b"]));
        services.AddHttpClient("e").AddSteadfastFailover(["https://x.example", "https://y.example"]);
    }
}
