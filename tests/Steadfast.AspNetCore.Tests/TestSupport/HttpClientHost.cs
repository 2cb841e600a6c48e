using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.AspNetCore.Tests.TestSupport;

/// <summary>A service provider with Steadfast, a configuration the test can change and reload, and one named HttpClient.</summary>
internal sealed class HttpClientHost : IAsyncDisposable
{
    private HttpClientHost(ServiceProvider provider, IConfigurationRoot configuration, WatchedTime time)
    {
        Provider = provider;
        Configuration = configuration;
        Time = time;
    }

    public ServiceProvider Provider { get; }

    public IConfigurationRoot Configuration { get; }

    public WatchedTime Time { get; }

    /// <summary>Attempts follow at once (no backoff) but a Retry-After up to 10 s is waited on; 5 s per attempt.</summary>
    public static void Fast(SteadfastHttpClientOptions o)
    {
        o.Engine.InitialDelay = TimeSpan.Zero;
        o.Engine.MaxDelay = TimeSpan.FromSeconds(10);
        o.Engine.StrategyTimeout = TimeSpan.FromSeconds(5);
    }

    public static HttpClientHost Create(Action<IHttpClientBuilder> client, IDictionary<string, string?>? settings = null)
    {
        var time = new WatchedTime();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSteadfast(configuration.GetSection("Steadfast"));
        client(services.AddHttpClient("upstream"));
        return new HttpClientHost(services.BuildServiceProvider(), configuration, time);
    }

    public HttpClient Client() => Provider.GetRequiredService<IHttpClientFactory>().CreateClient("upstream");

    public async ValueTask DisposeAsync() => await Provider.DisposeAsync();
}
