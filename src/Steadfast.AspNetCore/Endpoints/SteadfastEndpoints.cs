using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Steadfast.AspNetCore.Dashboard;
using Steadfast.AspNetCore.Endpoints.Api;
using Steadfast.AspNetCore.Endpoints.Events;

namespace Steadfast.AspNetCore.Endpoints;

/// <summary>Maps the API, the event stream and the dashboard into one route group.</summary>
internal static class SteadfastEndpoints
{
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, SteadfastWebOptions options)
    {
        var services = endpoints.ServiceProvider;
        if (options.AllowMutations && services.GetService<IAntiforgery>() is null)
        {
            throw new InvalidOperationException(
                "SteadfastWebOptions.AllowMutations needs anti-forgery for its changes: call builder.Services.AddAntiforgery() before MapSteadfast.");
        }

        var sources = new SteadfastSources(services, options);
        var loggerFactory = services.GetService<ILoggerFactory>();
        var logger = loggerFactory?.CreateLogger("Steadfast.AspNetCore.Endpoints") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var hub = new EventHub();
#pragma warning disable CA2000 // Lives as long as the application: disposed when it stops (below).
        var sampler = new EventSampler(hub, sources, loggerFactory);
#pragma warning restore CA2000
        if (services.GetService<IHostApplicationLifetime>() is { } lifetime)
        {
            // Open streams end when the application stops, instead of holding its shutdown until they time out.
            lifetime.ApplicationStopping.Register(sampler.Dispose);
        }

        var circuits = new CircuitApi(sources, sampler, logger);
        var blacklist = new BlacklistApi(sources, sampler, logger);
        var learning = new LearningApi(sources);
        var durable = new DurableApi(sources);
        var health = new HealthApi(sources, logger);
        var creative = new CreativeApi(sources);
        var events = new EventApi(hub, sampler, sources);
        var dashboard = new DashboardPage(sources);

        var group = endpoints.MapGroup(prefix);
        group.WithTags("Steadfast");

        group.MapGet("/circuits", circuits.List);
        group.MapGet("/circuits/{name}", circuits.Get);
        group.MapPost("/circuits/{name}/state", circuits.SetStateAsync);

        group.MapGet("/blacklist", blacklist.ListAsync);
        group.MapPost("/blacklist", (Delegate)blacklist.AddAsync); // a Delegate, so the returned IResult is written
        group.MapDelete("/blacklist/{operation}/{strategy}", blacklist.RemoveAsync);

        group.MapGet("/failures", learning.FailuresAsync);
        group.MapGet("/analytics", learning.AnalyticsAsync);
        group.MapGet("/patterns/{operation}", learning.Pattern);

        group.MapGet("/health", health.Health);
        group.MapGet("/mode", health.Mode);
        group.MapPost("/mode", (Delegate)health.SetModeAsync); // a Delegate, so the returned IResult is written

        group.MapGet("/queues", durable.QueuesAsync);
        group.MapGet("/workflows", durable.WorkflowsAsync);

        group.MapGet("/creative", creative.Recent);

        group.MapGet("/events", events.Stream);
        group.MapGet("/antiforgery", dashboard.Antiforgery);

        group.MapGet("/", dashboard.Page);
        group.MapGet("/" + DashboardAssets.Script, DashboardPage.Script);
        group.MapGet("/" + DashboardAssets.Styles, DashboardPage.Styles);
        return group;
    }
}
