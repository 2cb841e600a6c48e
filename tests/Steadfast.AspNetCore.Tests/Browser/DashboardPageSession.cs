using Microsoft.Playwright;
using Steadfast.AspNetCore.Tests.Endpoints;

namespace Steadfast.AspNetCore.Tests.Browser;

/// <summary>A browser page on the dashboard of a Kestrel host, recording console errors, page errors and dialogs.</summary>
internal sealed class DashboardPageSession : IAsyncDisposable
{
    /// <summary>How long an expectation waits for the page (auto-waiting, not a sleep).</summary>
    public const float ExpectTimeoutMs = 2000;

    private readonly IBrowserContext _context;

    private DashboardPageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (Errors)
                {
                    Errors.Add("console: " + message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (Errors)
            {
                Errors.Add("page error: " + error);
            }
        };
        page.Dialog += async (_, dialog) =>
        {
            lock (Errors)
            {
                Errors.Add("dialog: " + dialog.Message);
            }

            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public List<string> Errors { get; } = [];

    public static async Task<DashboardPageSession> OpenAsync(BrowserFixture browser, TestHost host, int width = 1400, int height = 900)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var session = new DashboardPageSession(context, await context.NewPageAsync());
        await session.Page.GotoAsync(new Uri(host.Address, TestHost.Prefix + "/").ToString());
        await Assertions.Expect(session.Page.Locator("#connection")).ToHaveAttributeAsync("data-status", "live", new() { Timeout = ExpectTimeoutMs * 5 });
        return session;
    }

    /// <summary>The card of the circuit <paramref name="name"/>.</summary>
    public ILocator Circuit(string name) => Page.Locator($".circuit[data-name=\"{name}\"]");

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
