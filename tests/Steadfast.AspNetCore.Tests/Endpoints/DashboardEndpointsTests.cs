using System.Net;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class DashboardEndpointsTests
{
    [Fact]
    public async Task GetPage_ServesHtmlWithStrictContentSecurityPolicy()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().GetAsync("/steadfast/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"dashboard.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPage_WithoutTrailingSlash_RedirectsToSlash()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().GetAsync("/steadfast");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/steadfast/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task GetPage_MutationsOff_SaysSoAndCarriesNoToken()
    {
        await using var host = await TestHost.StartAsync();

        var html = await host.Client().GetStringAsync("/steadfast/");

        Assert.Contains("data-mutations=\"false\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"steadfast-antiforgery\" content=\"\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPage_MutationsAllowed_CarriesTokenAndSetsCookie()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await host.Client().GetAsync("/steadfast/");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-mutations=\"true\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"steadfast-antiforgery\" content=\"\"", html, StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.Contains("Antiforgery", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("dashboard.js", "text/javascript", "textContent")]
    [InlineData("dashboard.css", "text/css", "--open")]
    public async Task GetAsset_ServedFromAssembly(string name, string mediaType, string expected)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().GetAsync("/steadfast/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_NeverUsesInnerHtml()
    {
        await using var host = await TestHost.StartAsync();

        var script = await host.Client().GetStringAsync("/steadfast/dashboard.js");

        Assert.DoesNotContain(".innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", script, StringComparison.Ordinal);
    }
}
