using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Steadfast.AspNetCore.Tests.Endpoints;
using static Microsoft.Playwright.Assertions;

namespace Steadfast.AspNetCore.Tests.Browser;

/// <summary>
/// Takes the README's picture of the dashboard during a simulated outage (written to docs/images/dashboard.png with
/// STEADFAST_UPDATE_SCREENSHOT=1, next to the test binaries otherwise): the real engine
/// serves quotes from three providers while the primary one is down, so its circuit opens, the learning layer records the
/// failures and finds the pattern, and the other two carry the load.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class DashboardScreenshotTests(BrowserFixture browser)
{
    [Fact]
    public async Task Dashboard_DuringOutage_ScreenshotWrittenToDocs()
    {
        await using var host = await TestHost.StartAsync(
            kestrel: true,
            services: s =>
            {
                s.Configure<ResilienceOptions>(o =>
                {
                    o.MaxAttempts = 1;
                    o.InitialDelay = TimeSpan.FromMilliseconds(1);
                    o.MaxDelay = TimeSpan.FromMilliseconds(5);
                    o.EnableProgressTracking = true;
                    o.CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, Cooldown = TimeSpan.FromMinutes(5) };
                });
                s.AddSteadfast().AddDurableQueue<string>("quote-requests", o => o.MaxDeliveryAttempts = 1);
            },
            web: o =>
            {
                o.EventInterval = TimeSpan.FromMilliseconds(250);
                o.QueueNames.Add("quote-requests");
            });
        await SeedAsync(host);
        using var load = new CancellationTokenSource();
        var traffic = Task.Run(() => OutageTrafficAsync(host.Services.GetRequiredService<ResilienceEngine>(), load.Token));

        await using var session = await DashboardPageSession.OpenAsync(browser, host, width: 1500, height: 1250);
        var primary = session.Circuit("fetch_quote/primary_api");
        await Expect(primary.Locator(".state")).ToHaveAttributeAsync("data-state", "Open", new() { Timeout = 10_000 });
        await Expect(session.Circuit("fetch_quote/partner_api").Locator("polyline.calls"))
            .ToHaveAttributeAsync("points", FortyPoints(), new() { Timeout = 20_000 });
        await Expect(session.Page.Locator("#patterns .pattern").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(session.Page.Locator("#mode-banner")).ToHaveAttributeAsync("data-mode", "Degraded", new() { Timeout = 10_000 });
        await Expect(session.Page.Locator("#health")).ToContainTextAsync("primary_api", new() { Timeout = 10_000 });

        // The README's picture is replaced only when asked (STEADFAST_UPDATE_SCREENSHOT=1), so a test run leaves the clone
        // as it was; otherwise the picture goes next to the test results.
        var path = Environment.GetEnvironmentVariable("STEADFAST_UPDATE_SCREENSHOT") == "1"
            ? Path.Combine(RepositoryRoot(), "docs", "images", "dashboard.png")
            : Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        await load.CancelAsync();
        await traffic;

        Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is written");
        Assert.Empty(session.Errors);
    }

    private static async Task SeedAsync(TestHost host)
    {
        var monitor = host.Services.GetRequiredService<HealthMonitor>();
        monitor.RegisterComponent("quote-db", _ => Task.FromResult(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()), ComponentSeverity.High);
        monitor.RegisterComponent("primary_api", _ => Task.FromResult(Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("503 Service Unavailable")));
        await monitor.CheckNowAsync();
        await host.Services.GetRequiredService<OperationModeManager>().MarkComponentDegradedAsync("primary_api", "503 Service Unavailable");
        await host.Analyzer.AddToBlacklistAsync("flaky_mirror", "fetch_quote", "12 failures in 60 s: 503 Service Unavailable", TimeSpan.FromMinutes(10));
        var queue = host.Services.GetRequiredKeyedService<DurableQueue<string>>("quote-requests");
        await queue.EnqueueAsync("poison");
        await queue.ProcessAsync((_, _) => throw new FormatException("quote request 'poison' is not valid JSON"), stopWhenEmpty: true);
        for (var i = 0; i < 7; i++)
        {
            await queue.EnqueueAsync("request-" + i);
        }

        var runner = host.Services.GetRequiredService<WorkflowRunner>();
        await runner.RunAsync("nightly-price-import", 3, async (ctx, steps, _) =>
        {
            for (var i = 0; i < steps; i++)
            {
                await ctx.StepAsync("batch-" + i, _ => Task.FromResult(i));
            }

            return steps;
        });
    }

    // The outage: primary_api answers 503 to every call, partner_api times out on every third, archive is slow but sound.
    private static async Task OutageTrafficAsync(ResilienceEngine engine, CancellationToken cancellationToken)
    {
        var partnerCalls = 0;
        Strategy<decimal>[] strategies =
        [
            new("primary_api", (_, _) => throw new HttpRequestException("503 Service Unavailable", null, System.Net.HttpStatusCode.ServiceUnavailable), Priority: 3),
            new("partner_api", (_, _) => Interlocked.Increment(ref partnerCalls) % 3 == 0
                ? throw new TimeoutException("partner_api did not answer within 1 s")
                : Task.FromResult(101.5m), Priority: 2),
            new("archive", (_, _) => Task.FromResult(101.2m), Priority: 1),
        ];
        while (!cancellationToken.IsCancellationRequested)
        {
            await engine.ExecuteWithAlternativesAsync(strategies, "fetch_quote", cancellationToken: CancellationToken.None);
            try
            {
                // Pacing the simulated users, not waiting for a result: the test waits with the browser's expectations.
                await Task.Delay(TimeSpan.FromMilliseconds(40), TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Steadfast.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Steadfast.slnx) is not above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(\S+ ){39,}\S+$")]
    private static partial Regex FortyPoints();
}
