using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Steadfast.AspNetCore.Endpoints.Events;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary><c>GET circuits</c>, <c>GET circuits/{name}</c>, <c>POST circuits/{name}/state</c>.</summary>
internal sealed class CircuitApi(SteadfastSources sources, EventSampler events, ILogger logger)
{
    /// <summary>The actions of <c>POST circuits/{name}/state</c>.</summary>
    public static readonly IReadOnlyList<string> Actions = ["close", "isolate", "reset"];

    public IResult List()
    {
        var circuits = sources.Circuits?.GetAll() ?? [];
        foreach (var breaker in circuits)
        {
            events.Watch(breaker);
        }

        return TypedResults.Json<IReadOnlyList<CircuitView>>([.. circuits.Select(CircuitView.Of)], SteadfastWebJsonContext.Default.IReadOnlyListCircuitView);
    }

    public IResult Get(string name)
    {
        name = RouteName.Decode(name);
        if (sources.Circuits is not { } registry || !registry.TryGet(name, out var breaker))
        {
            return Problems.NotFound($"There is no circuit named '{name}'.");
        }

        events.Watch(breaker);
        return TypedResults.Json(CircuitView.Of(breaker), SteadfastWebJsonContext.Default.CircuitView);
    }

    public async Task<IResult> SetStateAsync(HttpContext http, string name)
    {
        if (await Mutations.RefuseAsync(http, sources).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var (request, error) = await Body.ReadAsync(http, SteadfastWebJsonContext.Default.CircuitStateRequest).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        name = RouteName.Decode(name);
        var action = request!.State?.Trim().ToLowerInvariant();
        if (action is null || !Actions.Contains(action))
        {
            return Problems.Invalid("state", $"state must be one of {string.Join(", ", Actions)}; was {(request.State is null ? "missing" : $"'{request.State}'")}.");
        }

        if (sources.Circuits is not { } registry || !registry.TryGet(name, out var breaker))
        {
            return Problems.NotFound($"There is no circuit named '{name}'.");
        }

        events.Watch(breaker);

        // close and reset both call Reset (closed, counters cleared): the core has one way back to closed, and an
        // operator's "close" must not leave a half-counted failure run behind it.
        if (action == "isolate")
        {
            breaker.Isolate();
        }
        else
        {
            breaker.Reset();
        }

        Log.Mutation(logger, () => $"circuit '{name}'", action, http);
        return TypedResults.Json(CircuitView.Of(breaker), SteadfastWebJsonContext.Default.CircuitView);
    }
}
