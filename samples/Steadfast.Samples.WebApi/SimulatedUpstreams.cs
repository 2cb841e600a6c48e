using System.Net;

namespace Steadfast.Samples.WebApi;

/// <summary>
/// The flaky services the sample calls, simulated in this process (no network, so the sample runs anywhere and under
/// WebApplicationFactory): the clients' primary handler answers for these hosts. Faults follow a fixed rhythm rather than
/// chance, so every run shows the same story.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>weather.sim</c>: every third request fails with 503; every fifth is refused with 429 and <c>Retry-After: 1</c>.</item>
/// <item><c>quotes-a.sim</c>: down (connection refused).</item>
/// <item><c>quotes-b.sim</c>: every second request fails with 500.</item>
/// <item><c>quotes-c.sim</c>: healthy.</item>
/// </list>
/// </remarks>
public sealed class SimulatedUpstreams : HttpMessageHandler
{
    private int _weatherCalls;
    private int _quotesBCalls;

    /// <summary>The failover endpoints of the quotes client, best first.</summary>
    public static readonly string[] QuoteEndpoints = ["https://quotes-a.sim", "https://quotes-b.sim", "https://quotes-c.sim"];

    /// <summary>The weather service's address.</summary>
    public static readonly Uri WeatherAddress = new("https://weather.sim");

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var host = request.RequestUri!.Host;
        var path = request.RequestUri.AbsolutePath;
        return host switch
        {
            "weather.sim" => Task.FromResult(Weather(path)),
            "quotes-a.sim" => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (quotes-a.sim:443)", null, HttpStatusCode.ServiceUnavailable)),
            "quotes-b.sim" => Task.FromResult(Interlocked.Increment(ref _quotesBCalls) % 2 == 0 ? new HttpResponseMessage(HttpStatusCode.InternalServerError) : Quote("quotes-b", path)),
            "quotes-c.sim" => Task.FromResult(Quote("quotes-c", path)),
            _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)),
        };
    }

    private HttpResponseMessage Weather(string path)
    {
        var n = Interlocked.Increment(ref _weatherCalls);
        if (n % 5 == 0)
        {
            var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return limited;
        }

        if (n % 3 == 0)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }

        var city = path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "nowhere";
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { city, temperatureC = 21, source = "weather.sim" }) };
    }

    private static HttpResponseMessage Quote(string source, string path)
    {
        var symbol = path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "?";
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { symbol, price = 42.5m, source }) };
    }
}
