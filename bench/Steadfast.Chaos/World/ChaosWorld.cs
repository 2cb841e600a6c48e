using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Steadfast.Chaos.World;

/// <summary>
/// The world: one Kestrel server on 127.0.0.1 serving the scripted providers, each on its own port (its own authority).
/// </summary>
/// <remarks>
/// One port per provider rather than one path per provider: Polly's standard hedging handler routes by replacing the
/// scheme, host and port of the request (the path is kept), and keys its per-endpoint circuit breakers on the
/// authority, so only distinct authorities give it a fair world. Every competitor calls the same four addresses.
/// </remarks>
internal sealed class ChaosWorld : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<int, int> _providerByPort;
    private readonly int _rateLimitPerSecond;
    private WorldRun? _run;

    private ChaosWorld(WebApplication app, Dictionary<int, int> providerByPort, IReadOnlyList<ProviderEndpoint> endpoints, int rateLimitPerSecond)
    {
        _app = app;
        _providerByPort = providerByPort;
        Endpoints = endpoints;
        _rateLimitPerSecond = rateLimitPerSecond;
    }

    /// <summary>The providers' addresses, in the order every competitor prefers them.</summary>
    public IReadOnlyList<ProviderEndpoint> Endpoints { get; }

    /// <summary>Starts the server on free ports of 127.0.0.1.</summary>
    public static async Task<ChaosWorld> StartAsync(int rateLimitPerSecond)
    {
        var listeners = new ListenOptions[ProviderSpec.All.Count];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            for (var i = 0; i < listeners.Length; i++)
            {
                var index = i;
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listeners[index] = listen;
                });
            }
        });

        var app = builder.Build();
        ChaosWorld? world = null;
        app.Run(http => world!.HandleAsync(http));
        await app.StartAsync();

        // Kestrel writes the port it bound back into each ListenOptions.
        var providerByPort = new Dictionary<int, int>();
        var endpoints = new List<ProviderEndpoint>();
        for (var i = 0; i < listeners.Length; i++)
        {
            var port = listeners[i].IPEndPoint!.Port;
            providerByPort[port] = i;
            endpoints.Add(new ProviderEndpoint(ProviderSpec.All[i].Name, new Uri($"http://127.0.0.1:{port}/")));
        }

        world = new ChaosWorld(app, providerByPort, endpoints, rateLimitPerSecond);
        return world;
    }

    /// <summary>Restarts the script: fresh providers (seeded), fresh counters, the clock from now.</summary>
    public WorldRun BeginRun(TimeSpan duration, int seed)
    {
        var run = new WorldRun(TimeProvider.System, duration, seed, _rateLimitPerSecond);
        var previous = Interlocked.Exchange(ref _run, run);
        if (previous is not null)
        {
            previous.End();
            previous.Dispose();
        }

        return run;
    }

    public async ValueTask DisposeAsync()
    {
        var run = Interlocked.Exchange(ref _run, null);
        if (run is not null)
        {
            run.End();
            run.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext http)
    {
        var run = Volatile.Read(ref _run);
        if (run is null || !_providerByPort.TryGetValue(http.Connection.LocalPort, out var index))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return run.Providers[index].HandleAsync(http, run.Ended);
    }
}
