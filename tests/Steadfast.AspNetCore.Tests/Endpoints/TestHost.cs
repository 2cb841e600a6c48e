using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Steadfast.AspNetCore.Tests.Endpoints;

/// <summary>
/// A real ASP.NET Core application with Steadfast registered and MapSteadfast mapped: on a TestServer (API tests) or on
/// Kestrel at 127.0.0.1 on a free port (browser tests). An "ops" policy needs the header <c>X-Test-User</c>.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string Prefix = "/steadfast";
    public const string UserHeader = "X-Test-User";

    private TestHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public CircuitBreakerRegistry Circuits => Services.GetRequiredService<CircuitBreakerRegistry>();

    public FailureAnalyzer Analyzer => Services.GetRequiredService<FailureAnalyzer>();

    /// <summary>The address of a Kestrel host, e.g. http://127.0.0.1:41234.</summary>
    public Uri Address => new(App.Urls.First());

    public static async Task<TestHost> StartAsync(
        bool mutations = false,
        bool requireAuthorization = false,
        bool kestrel = false,
        bool antiforgery = true,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null,
        Action<SteadfastWebOptions>? web = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddSteadfast();
        if (antiforgery)
        {
            builder.Services.AddAntiforgery();
        }

        builder.Services.AddAuthentication(HeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>(HeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddPolicy("ops", p => p.RequireClaim("role", "ops")));
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var group = app.MapSteadfast(Prefix, o =>
        {
            o.AllowMutations = mutations;
            web?.Invoke(o);
        });
        if (requireAuthorization)
        {
            group.RequireAuthorization("ops");
        }

        await app.StartAsync(CancellationToken.None);
        return new TestHost(app);
    }

    public HttpClient Client(string? user = null)
    {
        var client = App.GetTestServer().CreateClient();
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(UserHeader, user);
        }

        return client;
    }

    /// <summary>Sends a change with the anti-forgery token and cookie read from <c>GET antiforgery</c>.</summary>
    public static async Task<HttpResponseMessage> SendWithTokenAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        var ct = CancellationToken.None;
        using var tokenResponse = await client.GetAsync($"{Prefix}/antiforgery", ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(ct);
        using var request = new HttpRequestMessage(method, $"{Prefix}/{path}");
        request.Headers.Add(token.GetProperty("headerName").GetString()!, token.GetProperty("token").GetString());
        request.Headers.Add("Cookie", tokenResponse.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }

    /// <summary>Signs in whoever sends <see cref="UserHeader"/>, with the role "ops" unless the name is "guest".</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Header";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(UserHeader, out var user) || string.IsNullOrEmpty(user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var claims = new List<Claim> { new(ClaimTypes.Name, user!) };
            if (user != "guest")
            {
                claims.Add(new Claim("role", "ops"));
            }

            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }
}
