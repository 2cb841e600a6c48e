using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Steadfast.Redis.Tests;

/// <summary>
/// A redis-server of one test's own (never the shared one), so the test can stop it to simulate an outage and start it
/// again on the same port. No persistence: a restarted server is empty.
/// </summary>
internal sealed class PrivateRedisServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private Process? _process;

    private PrivateRedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>A configuration string that fails fast while the server is down (no backlog), reconnecting on its own.</summary>
    public ConfigurationOptions Configuration
    {
        get
        {
            var c = ConfigurationOptions.Parse($"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,asyncTimeout=2000,syncTimeout=2000");
            c.BacklogPolicy = BacklogPolicy.FailFast;
            c.ReconnectRetryPolicy = new LinearRetry(100);
            return c;
        }
    }

    public static async Task<PrivateRedisServer> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new PrivateRedisServer(port);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        RedisTestServer.Configuration(); // the same rule as the shared server: fail clearly outside test-services.sh
        _process = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", _dir.Path])
        { RedirectStandardOutput = true, UseShellExecute = false }) ?? throw new InvalidOperationException("redis-server did not start");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"redis-server on port {Port} exited before it was ready"));
            }
            else if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        _process.BeginOutputReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        _dir.Dispose();
    }
}
