using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Steadfast;
using Steadfast.AspNetCore.Endpoints;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Steadfast's operator endpoints, event stream and dashboard.</summary>
public static class SteadfastEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps, under <paramref name="prefix"/>, the JSON API (<c>circuits</c>, <c>blacklist</c>, <c>failures</c>,
    /// <c>analytics</c>, <c>patterns/{operation}</c>, <c>queues</c>, <c>workflows</c>), the server-sent event stream
    /// (<c>events</c>) and the dashboard page (<c>/</c>); see docs/web.md. They read the services <c>AddSteadfast</c>
    /// registers (the <see cref="CircuitBreakerRegistry"/>, the <see cref="FailureAnalyzer"/>, the <see cref="ResilienceEngine"/>,
    /// the <see cref="WorkflowRunner"/>, keyed <see cref="IQueueStore"/>s); a part that is not registered reads as empty.
    /// </summary>
    /// <param name="endpoints">The application (or another route builder).</param>
    /// <param name="prefix">The route prefix, e.g. <c>/steadfast</c>.</param>
    /// <param name="configure">
    /// Adjusts the options, on top of a registered <c>IOptions&lt;SteadfastWebOptions&gt;</c>; copied and validated here.
    /// </param>
    /// <returns>The route group: ordinary endpoint conventions apply to every endpoint in it, e.g. <c>.RequireAuthorization("ops")</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Mutations are allowed but no anti-forgery service is registered (<c>services.AddAntiforgery()</c>).</exception>
    public static RouteGroupBuilder MapSteadfast(this IEndpointRouteBuilder endpoints, string prefix = "/steadfast", Action<SteadfastWebOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var options = endpoints.ServiceProvider.GetService<IOptions<SteadfastWebOptions>>()?.Value.Clone() ?? new SteadfastWebOptions();
        configure?.Invoke(options);
        options.Validate();
        return SteadfastEndpoints.Map(endpoints, prefix, options);
    }
}
