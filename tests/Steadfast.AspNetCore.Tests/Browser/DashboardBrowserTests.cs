using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Steadfast.AspNetCore.Tests.Endpoints;
using static Microsoft.Playwright.Assertions;

namespace Steadfast.AspNetCore.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser)
{
    private const string Red = "rgb(198, 40, 40)";
    private const string Green = "rgb(46, 125, 50)";
    private static readonly LocatorAssertionsToHaveAttributeOptions Soon = new() { Timeout = DashboardPageSession.ExpectTimeoutMs };

    [Fact]
    public async Task Page_Loads_WithoutConsoleErrors()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        host.Circuits.GetOrCreate("billing/primary").RecordSuccess();
        host.Analyzer.RecordFailure(new TimeoutException("upstream timed out"), "billing", strategy: "primary");
        await host.Analyzer.AddToBlacklistAsync("mirror", "download", "slow", TimeSpan.FromHours(1));
        await using var session = await DashboardPageSession.OpenAsync(browser, host);

        await Expect(session.Circuit("billing/primary")).ToBeVisibleAsync();
        await Expect(session.Page.Locator("#failures")).ToContainTextAsync("upstream timed out");
        await Expect(session.Page.Locator("#blacklist")).ToContainTextAsync("mirror");

        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task Circuit_OpenedOnServer_TurnsRedThroughEventsWithoutReload()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        var breaker = host.Circuits.GetOrCreate("billing/primary");
        await using var session = await DashboardPageSession.OpenAsync(browser, host);
        var state = session.Circuit("billing/primary").Locator(".state");
        await Expect(state).ToHaveAttributeAsync("data-state", "Closed", Soon);
        await Expect(state).ToHaveCSSAsync("background-color", Green);
        var navigations = 0;
        session.Page.FrameNavigated += (_, _) => navigations++;

        while (breaker.State != CircuitState.Open)
        {
            breaker.RecordFailure(new TimeoutException("upstream timed out"));
        }

        await Expect(state).ToHaveAttributeAsync("data-state", "Open", Soon);
        await Expect(state).ToHaveCSSAsync("background-color", Red, new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        Assert.Equal(0, navigations);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task ModeBanner_ComponentMarkedDegradedOnServer_ShowsDegradedWithoutReload()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        var modes = host.App.Services.GetRequiredService<OperationModeManager>();
        await using var session = await DashboardPageSession.OpenAsync(browser, host);
        var banner = session.Page.Locator("#mode-banner");
        await Expect(banner).ToHaveAttributeAsync("data-mode", "Normal", Soon);
        var navigations = 0;
        session.Page.FrameNavigated += (_, _) => navigations++;

        await modes.MarkComponentDegradedAsync("openai", "timeouts <b>x</b>", ComponentSeverity.Medium);

        await Expect(banner).ToHaveAttributeAsync("data-mode", "Degraded", Soon);
        await Expect(banner).ToContainTextAsync("DEGRADED", new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        await Expect(banner).ToContainTextAsync("openai: timeouts <b>x</b>", new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        Assert.Equal(0, await banner.Locator("b").CountAsync());
        Assert.Equal(0, navigations);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task CreativePanel_ProposalPublishedOnTheBus_ShowsWithoutReload()
    {
        await using var host = await TestHost.StartAsync(kestrel: true,
            services: s => s.AddSingleton<ICreativeHistory>(new CreativeEndpointsTests.FakeCreativeHistory()));
        await using var session = await DashboardPageSession.OpenAsync(browser, host);
        var panel = session.Page.Locator("#creative");
        await Expect(panel).ToContainTextAsync("has not been asked yet", new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        var navigations = 0;
        session.Page.FrameNavigated += (_, _) => navigations++;
        var bus = host.Services.GetRequiredService<IEventBus>();

        await bus.PublishAsync(CreativeEndpointsTests.Step(CreativeEventKind.Proposed, tool: "fetch_cache_wider", arguments: """{"key":"profile:*"}""",
            rationale: "a stale profile <b>beats</b> none"));
        await bus.PublishAsync(CreativeEndpointsTests.Step(CreativeEventKind.Refused, tool: "fetch_cache_wider", reason: "over the cost budget"));

        await Expect(panel).ToContainTextAsync("fetch_cache_wider", new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        await Expect(panel).ToContainTextAsync("""{"key":"profile:*"}""", new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        await Expect(panel).ToContainTextAsync("a stale profile <b>beats</b> none", new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        await Expect(panel.Locator("tr[data-kind=\"Refused\"]")).ToContainTextAsync("over the cost budget", new() { Timeout = DashboardPageSession.ExpectTimeoutMs });
        Assert.Equal(0, await panel.Locator("b").CountAsync());
        Assert.Equal(0, navigations);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task CreativePanel_NoCreativeSolver_IsHidden()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        await using var session = await DashboardPageSession.OpenAsync(browser, host);

        var section = session.Page.Locator("#creative-section");
        await Expect(section).ToHaveAttributeAsync("data-loaded", "true", Soon); // GET creative answered and rendered
        await Expect(section).ToBeHiddenAsync();
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task FailureText_WithMarkup_RendersAsText()
    {
        const string payload = "<img src=x onerror=alert(1)>";
        await using var host = await TestHost.StartAsync(kestrel: true);
        host.Analyzer.RecordFailure(new InvalidOperationException(payload), "billing", strategy: "primary");
        host.Circuits.GetOrCreate("billing/primary").RecordFailure(new InvalidOperationException(payload));
        await using var session = await DashboardPageSession.OpenAsync(browser, host);

        await Expect(session.Page.Locator("#failures")).ToContainTextAsync(payload);
        await Expect(session.Circuit("billing/primary").Locator(".error")).ToContainTextAsync(payload);

        Assert.Equal(0, await session.Page.Locator("main img").CountAsync());
        Assert.Empty(session.Errors); // no alert dialog, no error from a broken image
    }

    [Fact]
    public async Task ResetButton_MutationsAllowed_ClosesCircuit()
    {
        await using var host = await TestHost.StartAsync(kestrel: true, mutations: true);
        var breaker = host.Circuits.GetOrCreate("billing/primary");
        breaker.Isolate();
        await using var session = await DashboardPageSession.OpenAsync(browser, host);
        var card = session.Circuit("billing/primary");
        await Expect(card.Locator(".state")).ToHaveAttributeAsync("data-state", "Isolated", Soon);

        await card.Locator("button.circuit-reset").ClickAsync();

        await Expect(card.Locator(".state")).ToHaveAttributeAsync("data-state", "Closed", Soon);
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Empty(session.Errors);
    }

    [Fact]
    public async Task LiftButton_MutationsAllowed_RemovesBlacklistEntry()
    {
        await using var host = await TestHost.StartAsync(kestrel: true, mutations: true);
        await host.Analyzer.AddToBlacklistAsync("mirror", "download", "slow");
        await using var session = await DashboardPageSession.OpenAsync(browser, host);
        await Expect(session.Page.Locator("#blacklist")).ToContainTextAsync("mirror");

        await session.Page.Locator("button.blacklist-lift").ClickAsync();

        await Expect(session.Page.Locator("#blacklist")).ToContainTextAsync("No strategy is blacklisted.");
        Assert.Empty(await host.Analyzer.GetBlacklistAsync());
    }

    [Fact]
    public async Task Buttons_MutationsOff_AreAbsent()
    {
        await using var host = await TestHost.StartAsync(kestrel: true);
        host.Circuits.GetOrCreate("billing/primary").Isolate();
        await host.Analyzer.AddToBlacklistAsync("mirror", "download", "slow");
        await using var session = await DashboardPageSession.OpenAsync(browser, host);
        await Expect(session.Circuit("billing/primary").Locator(".state")).ToHaveAttributeAsync("data-state", "Isolated", Soon);
        await Expect(session.Page.Locator("#blacklist")).ToContainTextAsync("mirror");

        await Expect(session.Page.Locator("button")).ToHaveCountAsync(0);
        Assert.Empty(session.Errors);
    }
}
