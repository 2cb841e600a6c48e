using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Demo.Dashboard;

/// <summary>
/// <c>steadfast demo --dashboard</c>: the live dashboard of Steadfast.AspNetCore over the demo's own engine, circuits and
/// learning, served by Kestrel on 127.0.0.1 (never on another interface: it is a local demo) while the demo runs. Read
/// only: the demo shows the engine at work, an operator's changes belong to a real service.
/// </summary>
internal sealed class DemoDashboard : IAsyncDisposable
{
    public const string Prefix = "/steadfast";

    private readonly WebApplication _app;

    private DemoDashboard(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The dashboard's address, e.g. http://127.0.0.1:5080/steadfast/.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving the dashboard on <paramref name="port"/> (0: a free port).</summary>
    /// <exception cref="CliException">The port cannot be listened on.</exception>
    public static async Task<DemoDashboard> StartAsync(ResilienceEngine engine, FailureAnalyzer analyzer, CircuitBreakerRegistry registry, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));

        // The demo's own objects: the dashboard reads what the demo's engine does, not a second engine.
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(analyzer);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(TimeProvider.System);

        var app = builder.Build();
        app.MapSteadfast(Prefix);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new CliException($"--dashboard-port {port}: cannot listen on 127.0.0.1:{port} ({ex.Message}). Pick another port, or 0 for a free one.");
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DemoDashboard(app, new Uri(new Uri(bound), Prefix + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
