using Microsoft.Extensions.DependencyInjection.Extensions;
using Steadfast;
using Steadfast.AspNetCore.Configuration;
using Steadfast.AspNetCore.Http.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Steadfast on an <see cref="HttpClient"/> from <c>AddHttpClient</c>: retry, circuit, timeouts and learning in one handler
/// (as <c>AddStandardResilienceHandler</c> does with Polly), or failover across endpoints by the engine (as the standard
/// hedging handler's ordered groups). Options come from <c>Steadfast:Http:&lt;client name&gt;</c> (<see cref="SteadfastHttpClientOptions"/>),
/// then the lambda; they are validated at start and reloaded with the configuration.
/// </summary>
public static class SteadfastHttpClientBuilderExtensions
{
    /// <summary>
    /// Runs every request of the client through the engine, as one strategy named after the operation (the client's name
    /// unless <see cref="SteadfastHttpClientOptions.OperationName"/> says otherwise): each attempt bounded by
    /// <see cref="ResilienceOptions.StrategyTimeout"/>, retried with backoff on 5xx, 408, 429 and exceptions (a 4xx is
    /// returned at once), a <c>Retry-After</c> honoured by the engine's retry-after rule (a 429 defers every request of the
    /// client until it passes), a circuit per client, the whole request bounded by <see cref="ResilienceOptions.MaxTotalTime"/>,
    /// every attempt recorded by the learning layer.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Adjusts the options after the configuration; <see langword="null"/> keeps them.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddSteadfastResilienceHandler(this IHttpClientBuilder builder, Action<SteadfastHttpClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddServices(builder, configure);
        var name = builder.Name;
        return builder.AddHttpMessageHandler(sp => new SteadfastHttpHandler(sp.GetRequiredService<HttpClientEngines>(), name, endpoints: null, ExecutionMode.Sequential));
    }

    /// <summary>
    /// Sends each request of the client to one of <paramref name="endpoints"/> by the engine: each endpoint is a strategy
    /// (named by its scheme, host and port, with a circuit of its own), preferred in the given order among equals, ranked by
    /// what the learning layer knows (success rate, latency), blacklisted when it keeps failing and probed until it recovers;
    /// each is retried as <see cref="AddSteadfastResilienceHandler"/> describes. The request's scheme, host and port are
    /// replaced with the endpoint's (its path and query are kept); its body is buffered once so every attempt can send it.
    /// The client's <see cref="HttpClient.BaseAddress"/> is the first endpoint unless it is set.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="endpoints">The endpoints' absolute base addresses, best first, e.g. <c>https://quotes-a.example</c>.</param>
    /// <param name="mode">One endpoint at a time (<see cref="ExecutionMode.Sequential"/>), several at once, first success wins
    /// (<see cref="ExecutionMode.Race"/>), or the next one only when the leader is slow or failed (<see cref="ExecutionMode.Hedged"/>).</param>
    /// <param name="configure">Adjusts the options after the configuration; <see langword="null"/> keeps them.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoints"/> is empty, holds the same server twice or a value that is not an absolute URI.</exception>
    public static IHttpClientBuilder AddSteadfastFailover(
        this IHttpClientBuilder builder, string[] endpoints, ExecutionMode mode = ExecutionMode.Sequential, Action<SteadfastHttpClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Length == 0)
        {
            throw new ArgumentException("At least one endpoint is needed.", nameof(endpoints));
        }

        var uris = new Uri[endpoints.Length];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < endpoints.Length; i++)
        {
            if (!Uri.TryCreate(endpoints[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"Endpoint {i} must be an absolute http or https address; was '{endpoints[i]}'.", nameof(endpoints));
            }

            if (!names.Add(SteadfastHttpHandler.StrategyName(uri)))
            {
                throw new ArgumentException($"Endpoint {i} ('{endpoints[i]}') names the same server as an earlier one.", nameof(endpoints));
            }

            uris[i] = uri;
        }

        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "ExecutionMode must be Sequential, Race or Hedged.");
        }

        AddServices(builder, configure);
        var name = builder.Name;
        builder.ConfigureHttpClient(c => c.BaseAddress ??= uris[0]);
        return builder.AddHttpMessageHandler(sp => new SteadfastHttpHandler(sp.GetRequiredService<HttpClientEngines>(), name, uris, mode));
    }

    private static void AddServices(IHttpClientBuilder builder, Action<SteadfastHttpClientOptions>? configure)
    {
        var services = builder.Services;
        services.AddSteadfast();
        services.TryAddSingleton<HttpClientEngines>();
        SteadfastHttpClientConfiguration.Add(services, builder.Name);
        if (configure is not null)
        {
            services.Configure(builder.Name, configure);
        }
    }
}
