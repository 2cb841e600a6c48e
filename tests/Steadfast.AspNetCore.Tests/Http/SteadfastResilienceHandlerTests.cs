using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Steadfast.AspNetCore.Tests.TestSupport;

namespace Steadfast.AspNetCore.Tests.Http;

/// <summary>AddSteadfastResilienceHandler against a real Kestrel upstream on 127.0.0.1 with scripted faults.</summary>
public sealed class SteadfastResilienceHandlerTests
{
    private static HttpClientHost Host(Upstream upstream, Action<SteadfastHttpClientOptions>? tweak = null, IDictionary<string, string?>? settings = null) =>
        HttpClientHost.Create(c => c.ConfigureHttpClient(h => h.BaseAddress = upstream.Address).AddSteadfastResilienceHandler(o =>
        {
            HttpClientHost.Fast(o);
            tweak?.Invoke(o);
        }), settings);

    [Fact]
    public async Task SendAsync_ServerErrors_RetriedUntilSuccess()
    {
        await using var upstream = await Upstream.StartAsync((n, c) => Upstream.Status(c, n switch { 1 => 503, 2 => 500, _ => 200 }, body: "ok"));
        await using var host = Host(upstream);

        using var response = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_BadRequest_ReturnedWithoutRetry()
    {
        await using var upstream = await Upstream.StartAsync((_, c) => Upstream.Status(c, 400));
        await using var host = Host(upstream);

        using var response = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, upstream.Requests);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task SendAsync_TransientStatus_Retried(int status)
    {
        await using var upstream = await Upstream.StartAsync((n, c) => Upstream.Status(c, n == 1 ? status : 200));
        await using var host = Host(upstream);

        using var response = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_ServerErrorEveryTime_ReturnsLastResponseAfterMaxAttempts()
    {
        await using var upstream = await Upstream.StartAsync((n, c) => Upstream.Status(c, 503, body: $"attempt {n}"));
        await using var host = Host(upstream, o => o.Engine.MaxAttempts = 3);

        using var response = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("attempt 3", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_RateLimitedWithRetryAfter_WaitsTheHintThenRetries()
    {
        await using var upstream = await Upstream.StartAsync((n, c) => n == 1 ? Upstream.Status(c, 429, retryAfterSeconds: 2) : Upstream.Status(c, 200));
        await using var host = Host(upstream);

        var sending = host.Client().GetAsync(new Uri("/quote", UriKind.Relative));
        await host.Time.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        host.Time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, upstream.Requests); // not before the time the service named
        Assert.False(sending.IsCompleted);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_RetryAfterLongerThanMaxDelay_NotRetriedAndResponseReturned()
    {
        await using var upstream = await Upstream.StartAsync((_, c) => Upstream.Status(c, 429, retryAfterSeconds: 60));
        await using var host = Host(upstream); // MaxDelay 10 s

        using var response = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_RateLimited_DefersTheNextRequestUntilRetryAfter()
    {
        // A 429 says the service is up but refuses for now: no request is sent to it until its retry-after passes.
        await using var upstream = await Upstream.StartAsync((n, c) => n == 1 ? Upstream.Status(c, 429, retryAfterSeconds: 60) : Upstream.Status(c, 200));
        await using var host = Host(upstream);
        using var first = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        var deferred = await Assert.ThrowsAsync<RateLimitRejectedException>(() => host.Client().GetAsync(new Uri("/quote", UriKind.Relative)));
        Assert.Equal(TimeSpan.FromSeconds(60), deferred.RetryAfter);
        Assert.Equal(1, upstream.Requests);
        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);

        host.Time.Advance(TimeSpan.FromSeconds(60));
        using var later = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_ServiceUnavailableWithRetryAfter_WaitsTheHintThenRetries()
    {
        await using var upstream = await Upstream.StartAsync((n, c) => n == 1 ? Upstream.Status(c, 503, retryAfterSeconds: 3) : Upstream.Status(c, 200));
        await using var host = Host(upstream);

        var sending = host.Client().GetAsync(new Uri("/quote", UriKind.Relative));
        await host.Time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, upstream.Requests);
        host.Time.Advance(TimeSpan.FromSeconds(3));
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_HangingUpstream_AttemptCutByTimeoutAndRetried()
    {
        await using var upstream = await Upstream.StartAsync((n, c) => n == 1 ? Upstream.Hang(c) : Upstream.Status(c, 200));
        await using var host = Host(upstream); // 5 s per attempt

        var sending = host.Client().GetAsync(new Uri("/quote", UriKind.Relative));
        await upstream.WaitForRequestAsync(1);
        Assert.False(sending.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_PostWithBody_BodyAndContentTypeSentOnEveryAttempt()
    {
        await using var upstream = await Upstream.StartAsync((n, c) => Upstream.Status(c, n == 1 ? 503 : 200, body: c.Request.ContentType));
        await using var host = Host(upstream);

        using var content = new StringContent("{\"amount\":5}", Encoding.UTF8, "application/json");
        using var response = await host.Client().PostAsync(new Uri("/pay?id=7", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", await response.Content.ReadAsStringAsync());
        Assert.Equal([("/pay?id=7", "{\"amount\":5}"), ("/pay?id=7", "{\"amount\":5}")], upstream.Received);
    }

    [Fact]
    public async Task SendAsync_BodyLargerThanLimit_FailsWithoutSending()
    {
        await using var upstream = await Upstream.StartAsync((_, c) => Upstream.Status(c, 200));
        await using var host = Host(upstream, o => o.MaxRequestContentBytes = 4);

        using var content = new StringContent("12345");
        await Assert.ThrowsAsync<HttpRequestException>(() => host.Client().PostAsync(new Uri("/pay", UriKind.Relative), content));
        Assert.Equal(0, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_FailingUpstream_CircuitOpensAndStopsCalls()
    {
        await using var upstream = await Upstream.StartAsync((_, c) => Upstream.Status(c, 500));
        await using var host = Host(upstream, o => o.Engine.MaxAttempts = 1);
        var client = host.Client();
        for (var i = 0; i < 5; i++)
        {
            using var failed = await client.GetAsync(new Uri("/quote", UriKind.Relative));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        // The sixth request waits for the circuit's probe (5 s), sending nothing meanwhile; the probe fails again.
        var sending = client.GetAsync(new Uri("/quote", UriKind.Relative));
        await host.Time.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(5, upstream.Requests);
        Assert.True(host.Provider.GetRequiredService<CircuitBreakerRegistry>().TryGet("upstream/upstream", out var circuit));
        Assert.Equal(CircuitState.Open, circuit.State);
        host.Time.Advance(TimeSpan.FromSeconds(5));
        using var probe = await sending;

        Assert.Equal(HttpStatusCode.InternalServerError, probe.StatusCode);
        Assert.Equal(6, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_Failures_RecordedByTheLearningLayer()
    {
        await using var upstream = await Upstream.StartAsync((n, c) => Upstream.Status(c, n == 1 ? 503 : 200));
        await using var host = Host(upstream);

        using var response = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        var analyzer = host.Provider.GetRequiredService<FailureAnalyzer>();
        var failures = analyzer.GetRecentFailures("upstream");
        Assert.Single(failures);
        Assert.Equal(503, failures[0].StatusCode);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_OperationCanceled()
    {
        await using var upstream = await Upstream.StartAsync((_, c) => Upstream.Hang(c));
        await using var host = Host(upstream);
        using var cts = new CancellationTokenSource();

        var sending = host.Client().GetAsync(new Uri("/quote", UriKind.Relative), cts.Token);
        await upstream.WaitForRequestAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_DisabledInConfiguration_PassesStraightThrough()
    {
        await using var upstream = await Upstream.StartAsync((_, c) => Upstream.Status(c, 503));
        await using var host = Host(upstream, settings: new Dictionary<string, string?> { ["Steadfast:Enabled"] = "false" });

        using var response = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.Requests);
    }

    [Fact]
    public async Task SendAsync_ConfigurationReloaded_NewOptionsApplyToTheNextRequest()
    {
        await using var upstream = await Upstream.StartAsync((_, c) => Upstream.Status(c, 503));
        await using var host = HttpClientHost.Create(
            c => c.ConfigureHttpClient(h => h.BaseAddress = upstream.Address).AddSteadfastResilienceHandler(),
            new Dictionary<string, string?>
            {
                ["Steadfast:Http:upstream:Engine:MaxAttempts"] = "1",
                ["Steadfast:Http:upstream:Engine:InitialDelay"] = "00:00:00",
            });
        using (var first = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative)))
        {
            Assert.Equal(1, upstream.Requests);
        }

        host.Configuration["Steadfast:Http:upstream:Engine:MaxAttempts"] = "2";
        host.Configuration.Reload();
        using var second = await host.Client().GetAsync(new Uri("/quote", UriKind.Relative));

        Assert.Equal(3, upstream.Requests);
    }
}
