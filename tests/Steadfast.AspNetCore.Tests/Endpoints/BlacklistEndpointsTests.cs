using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class BlacklistEndpointsTests
{
    [Fact]
    public async Task GetBlacklist_Empty_ReturnsEmptyArray()
    {
        await using var host = await TestHost.StartAsync();

        var body = await host.Client().GetStringAsync("/steadfast/blacklist");

        Assert.Equal("[]", body);
    }

    [Fact]
    public async Task GetBlacklist_WithEntry_ShowsItWithExpiry()
    {
        await using var host = await TestHost.StartAsync();
        await host.Analyzer.AddToBlacklistAsync("mirror", "download", "too slow", TimeSpan.FromHours(1));

        var entries = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/blacklist");

        var entry = Assert.Single(entries.EnumerateArray());
        Assert.Equal("mirror", entry.GetProperty("strategy").GetString());
        Assert.Equal("download", entry.GetProperty("operation").GetString());
        Assert.Equal("too slow", entry.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.String, entry.GetProperty("expiresAt").ValueKind);
    }

    [Fact]
    public async Task PostBlacklist_MutationsOff_Returns403AndAddsNothing()
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().PostAsJsonAsync("/steadfast/blacklist", new { strategy = "mirror", operation = "download", reason = "slow" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await host.Analyzer.GetBlacklistAsync());
    }

    [Fact]
    public async Task PostBlacklist_MutationsAllowed_AddsEntryAndReturns201()
    {
        await using var host = await TestHost.StartAsync(mutations: true);
        var expires = DateTimeOffset.UtcNow.AddHours(2);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "blacklist",
            new { strategy = "mirror", operation = "download", reason = "slow", expires });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = Assert.Single(await host.Analyzer.GetBlacklistAsync());
        Assert.Equal("mirror", entry.StrategyName);
        Assert.NotNull(entry.ExpiresAt);
        Assert.False(entry.IsAutomatic);
    }

    [Fact]
    public async Task PostBlacklist_ReasonWithSecret_StoredRedacted()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "blacklist",
            new { strategy = "mirror", operation = "download", reason = "leaks password=hunter2 in logs" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = Assert.Single(await host.Analyzer.GetBlacklistAsync());
        Assert.DoesNotContain("hunter2", entry.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBlacklist_Invalid_Returns400NamingEachField()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "blacklist",
            new { operation = "download", reason = "slow", expires = DateTimeOffset.UtcNow.AddHours(-1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("strategy", out _));
        Assert.True(errors.TryGetProperty("expires", out _));
        Assert.False(errors.TryGetProperty("operation", out _));
        Assert.Empty(await host.Analyzer.GetBlacklistAsync());
    }

    [Fact]
    public async Task PostBlacklist_NotJson_Returns400()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Post, "blacklist", body: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("body", out _));
    }

    [Fact]
    public async Task DeleteBlacklist_MutationsAllowed_LiftsEntry()
    {
        await using var host = await TestHost.StartAsync(mutations: true);
        await host.Analyzer.AddToBlacklistAsync("mirror/eu", "download", "slow");

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Delete, "blacklist/download/" + Uri.EscapeDataString("mirror/eu"), null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await host.Analyzer.GetBlacklistAsync());
    }

    [Fact]
    public async Task DeleteBlacklist_Unknown_Returns404()
    {
        await using var host = await TestHost.StartAsync(mutations: true);

        using var response = await TestHost.SendWithTokenAsync(host.Client(), HttpMethod.Delete, "blacklist/download/mirror", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeleteBlacklist_MutationsOff_Returns403AndKeepsEntry()
    {
        await using var host = await TestHost.StartAsync();
        await host.Analyzer.AddToBlacklistAsync("mirror", "download", "slow");

        using var response = await host.Client().DeleteAsync("/steadfast/blacklist/download/mirror");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Single(await host.Analyzer.GetBlacklistAsync());
    }
}
