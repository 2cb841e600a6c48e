using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Steadfast.AspNetCore.Tests.TestSupport;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (a free port) that answers each request by a script: request n (from 1) gets
/// <c>script(n, context)</c>. It records every request's path and body, and lets a test wait for request n to arrive.
/// </summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<(string PathAndQuery, string Body)> _received = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    private Upstream(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public int Requests
    {
        get
        {
            lock (_lock)
            {
                return _received.Count;
            }
        }
    }

    public IReadOnlyList<(string PathAndQuery, string Body)> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<Upstream> StartAsync(Func<int, HttpContext, Task> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new Upstream(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var n = upstream.Arrived(context.Request.Path + context.Request.QueryString, body);
            await script(n, context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.Address = new Uri(address);
        return upstream;
    }

    /// <summary>Completes when request <paramref name="count"/> has arrived.</summary>
    public Task WaitForRequestAsync(int count)
    {
        lock (_lock)
        {
            if (_received.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Answers with <paramref name="status"/>, and a <c>Retry-After</c> of <paramref name="retryAfterSeconds"/> when given.</summary>
    public static Task Status(HttpContext context, int status, int? retryAfterSeconds = null, string? body = null)
    {
        context.Response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return body is null ? Task.CompletedTask : context.Response.WriteAsync(body);
    }

    /// <summary>Never answers: waits until the client gives up (the request is aborted).</summary>
    public static async Task Hang(HttpContext context)
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = context.RequestAborted.Register(() => aborted.TrySetResult());
        await aborted.Task;
    }

    /// <summary>A port on 127.0.0.1 where nothing listens: connections to it are refused.</summary>
    public static Uri DeadEndpoint()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    private int Arrived(string pathAndQuery, string body)
    {
        List<TaskCompletionSource> ready = [];
        int n;
        lock (_lock)
        {
            _received.Add((pathAndQuery, body));
            n = _received.Count;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= n)
                {
                    ready.Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in ready)
        {
            signal.TrySetResult();
        }

        return n;
    }
}
