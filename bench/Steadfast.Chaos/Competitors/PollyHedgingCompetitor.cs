using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly.Telemetry;
using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Competitors;

/// <summary>
/// Polly via Microsoft.Extensions.Http.Resilience: one HttpClient with <c>AddStandardHedgingHandler</c> whose routing is
/// ordered groups over the four providers (one endpoint per group, in the world's order).
/// </summary>
internal sealed class PollyHedgingCompetitor : ICompetitor
{
    private readonly ServiceProvider _services;
    private readonly HttpClient _client;
    private readonly Uri _first;
    private readonly PollyEventTally _events;

    public PollyHedgingCompetitor(string name, IReadOnlyList<ProviderEndpoint> endpoints, Tuning tuning)
    {
        Name = name;
        _first = endpoints[0].QuoteUri;
        _events = new PollyEventTally(endpoints);
        var services = new ServiceCollection();
        services.Configure<TelemetryOptions>(o => o.TelemetryListeners.Add(_events));
        services.AddHttpClient(name)
            .AddStandardHedgingHandler(routing => routing.ConfigureOrderedGroups(groups =>
            {
                foreach (var endpoint in endpoints)
                {
                    groups.Groups.Add(new UriEndpointGroup { Endpoints = { new WeightedUriEndpoint { Uri = endpoint.BaseUri } } });
                }
            }))
            .Configure(o =>
            {
                o.TotalRequestTimeout.Timeout = tuning.Deadline;
                // One hedge per other provider, each after the hedging delay (or at once when an answer fails).
                o.Hedging.MaxHedgedAttempts = endpoints.Count - 1;
                o.Hedging.Delay = Tuning.HedgingDelay;
                o.Endpoint.Timeout.Timeout = Tuning.AttemptTimeout;
                o.Endpoint.CircuitBreaker.MinimumThroughput = Tuning.CircuitMinimumThroughput;
            });
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
    }

    public string Name { get; }

    public async Task<CallResult> CallAsync(CancellationToken cancellationToken)
    {
        // The routing strategy replaces the authority with each group's endpoint in turn.
        using var response = await _client.GetAsync(_first, cancellationToken);
        return response.IsSuccessStatusCode
            ? CallResult.Served(ProviderCalls.ServedBy(response) ?? "?")
            : CallResult.Failed($"HTTP {(int)response.StatusCode}");
    }

    public Task<IReadOnlyList<string>> DescribeAsync() => Task.FromResult(_events.Describe());

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _services.DisposeAsync();
    }
}
