using Microsoft.Extensions.DependencyInjection;
using Polly.Telemetry;
using Steadfast.Chaos.World;

namespace Steadfast.Chaos.Competitors;

/// <summary>
/// Polly via Microsoft.Extensions.Http.Resilience: one HttpClient per provider, each with
/// <c>AddStandardResilienceHandler</c>, tried in the world's order; a failure (after that client's retries) moves on
/// to the next client, within the call's deadline.
/// </summary>
internal sealed class PollyChainCompetitor : ICompetitor
{
    private readonly ServiceProvider _services;
    private readonly HttpClient[] _clients;
    private readonly PollyEventTally _events;

    public PollyChainCompetitor(string name, IReadOnlyList<ProviderEndpoint> endpoints, Tuning tuning)
    {
        Name = name;
        _events = new PollyEventTally(endpoints);
        var services = new ServiceCollection();
        services.Configure<TelemetryOptions>(o => o.TelemetryListeners.Add(_events));
        // Each link gets an equal share of the deadline, so the chain reaches its last provider in time.
        var perLink = tuning.Deadline / endpoints.Count;
        foreach (var endpoint in endpoints)
        {
            services.AddHttpClient(endpoint.Name, client => client.BaseAddress = endpoint.BaseUri)
                .AddStandardResilienceHandler(o =>
                {
                    o.TotalRequestTimeout.Timeout = perLink;
                    o.AttemptTimeout.Timeout = Tuning.AttemptTimeout;
                    o.Retry.MaxRetryAttempts = Tuning.RetriesPerProvider;
                    o.Retry.Delay = Tuning.RetryDelay;
                    o.CircuitBreaker.MinimumThroughput = Tuning.CircuitMinimumThroughput;
                });
        }

        _services = services.BuildServiceProvider();
        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _clients = endpoints.Select(e => factory.CreateClient(e.Name)).ToArray();
    }

    public string Name { get; }

    public async Task<CallResult> CallAsync(CancellationToken cancellationToken)
    {
        var last = "no provider";
        foreach (var client in _clients)
        {
            try
            {
                using var response = await client.GetAsync(ProviderEndpoint.QuotePath, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return CallResult.Served(ProviderCalls.ServedBy(response) ?? "?");
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The client's pipeline gave up (timeout, open circuit, connection error): the next one.
                last = e.GetType().Name;
            }
        }

        return CallResult.Failed(last);
    }

    public Task<IReadOnlyList<string>> DescribeAsync() => Task.FromResult(_events.Describe());

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _services.DisposeAsync();
    }
}
