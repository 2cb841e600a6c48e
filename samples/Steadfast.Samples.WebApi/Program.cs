using OpenTelemetry.Metrics;
using Steadfast;
using Steadfast.Samples.WebApi;

var builder = WebApplication.CreateBuilder(args);

// Steadfast: engine, learning and circuits, options from the "Steadfast" section (appsettings.json, Steadfast__* variables).
builder.Services.AddSteadfast(builder.Configuration.GetSection("Steadfast"))
    .UsePreset(SteadfastPreset.Production);
builder.Services.AddHealthChecks().AddSteadfast();   // Steadfast's circuits, learning, checkpoints and health monitor as health checks

// The flaky upstreams are simulated in this process; the clients' primary handler answers for them.
builder.Services.AddSingleton<SimulatedUpstreams>();

// One upstream, retried with backoff, its Retry-After honoured, a circuit and a timeout: options from Steadfast:Http:weather.
builder.Services.AddHttpClient("weather", c => c.BaseAddress = SimulatedUpstreams.WeatherAddress)
    .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SimulatedUpstreams>())
    .AddSteadfastResilienceHandler();

// Three mirrors of one service: the engine ranks, learns and probes them (options from Steadfast:Http:quotes).
builder.Services.AddHttpClient("quotes")
    .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SimulatedUpstreams>())
    .AddSteadfastFailover(SimulatedUpstreams.QuoteEndpoints, ExecutionMode.Sequential);

// Telemetry: Steadfast's meter and traces, metrics scraped by Prometheus at /metrics.
builder.Services.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter("Steadfast").AddPrometheusExporter())
    .WithTracing(tracing => tracing.AddSource("Steadfast"));   // add your exporter here, e.g. .AddOtlpExporter()

var app = builder.Build();

app.MapGet("/weather/{city}", async (string city, IHttpClientFactory clients, CancellationToken ct) =>
{
    using var response = await clients.CreateClient("weather").GetAsync(new Uri($"/forecast/{Uri.EscapeDataString(city)}", UriKind.Relative), ct);
    return await Relay(response, ct);
});

app.MapGet("/quotes/{symbol}", async (string symbol, IHttpClientFactory clients, CancellationToken ct) =>
{
    using var response = await clients.CreateClient("quotes").GetAsync(new Uri($"/quotes/{Uri.EscapeDataString(symbol)}", UriKind.Relative), ct);
    return await Relay(response, ct);
});

app.MapHealthChecks("/health");
app.MapPrometheusScrapingEndpoint();   // GET /metrics

// The operator endpoints, the event stream and the live dashboard at /steadfast/ (read-only: mutations are off by default).
app.MapSteadfast("/steadfast");

app.Run();

// The upstream's answer, status and body, as this API's answer.
static async Task<IResult> Relay(HttpResponseMessage response, CancellationToken ct) =>
    Results.Content(await response.Content.ReadAsStringAsync(ct), response.Content.Headers.ContentType?.ToString() ?? "application/json",
        statusCode: (int)response.StatusCode);

/// <summary>The sample's entry point; public so tests can start it with WebApplicationFactory.</summary>
public partial class Program;
