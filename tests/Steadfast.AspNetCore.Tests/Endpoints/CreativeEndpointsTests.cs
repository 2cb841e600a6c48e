using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class CreativeEndpointsTests
{
    private const string Secret = "sk-abcdefghijklmnopqrstuvwxyz0123456789";

    [Fact]
    public async Task GetCreative_OnKestrel_ListsTheSolversStepsRedactedOldestFirst()
    {
        var history = new FakeCreativeHistory(
            Step(CreativeEventKind.Proposed, tool: "fetch_cache_wider", arguments: $$"""{"key":"{{Secret}}"}""", rationale: "the cache has it"),
            Step(CreativeEventKind.Refused, tool: "fetch_cache_wider", reason: "over the cost budget"),
            Step(CreativeEventKind.Succeeded, strategy: "creative:fetch_cache_wider:0123456789ab", tool: "fetch_cache_wider"));
        await using var host = await TestHost.StartAsync(kestrel: true, services: s => s.AddSingleton<ICreativeHistory>(history));
        using var client = new HttpClient { BaseAddress = host.Address };

        using var response = await client.GetAsync("/steadfast/creative");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz0123456789", body, StringComparison.Ordinal);
        var view = JsonDocument.Parse(body).RootElement;
        Assert.True(view.GetProperty("available").GetBoolean());
        var events = view.GetProperty("events");
        Assert.Equal(["Proposed", "Refused", "Succeeded"], events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("fetch_cache_wider", events[0].GetProperty("tool").GetString());
        Assert.Equal("the cache has it", events[0].GetProperty("rationale").GetString());
        Assert.Equal("over the cost budget", events[1].GetProperty("reason").GetString());
        Assert.Equal("creative:fetch_cache_wider:0123456789ab", events[2].GetProperty("strategyName").GetString());
    }

    [Fact]
    public async Task GetCreative_Limit_ReturnsTheMostRecentSteps()
    {
        var history = new FakeCreativeHistory(Step(CreativeEventKind.Asked), Step(CreativeEventKind.Proposed), Step(CreativeEventKind.Accepted));
        await using var host = await TestHost.StartAsync(kestrel: true, services: s => s.AddSingleton<ICreativeHistory>(history));
        using var client = new HttpClient { BaseAddress = host.Address };

        var view = await client.GetFromJsonAsync<JsonElement>("/steadfast/creative?limit=2");

        Assert.Equal(["Proposed", "Accepted"], view.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("many")]
    public async Task GetCreative_LimitOutOfRange_IsABadRequestNamingTheRange(string limit)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().GetAsync($"/steadfast/creative?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("between 1 and 500", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCreative_NoCreativeSolver_IsNotAvailableAndEmpty()
    {
        await using var host = await TestHost.StartAsync();

        var view = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/creative");

        Assert.False(view.GetProperty("available").GetBoolean());
        Assert.Equal(0, view.GetProperty("events").GetArrayLength());
    }

    internal static CreativeSolverEvent Step(CreativeEventKind kind, string? strategy = null, string? tool = null, string? arguments = null,
        string? rationale = null, string? reason = null) =>
        new(kind, "get-profile", DateTimeOffset.UnixEpoch.AddDays(20000))
        {
            StrategyName = strategy, Tool = tool, Arguments = arguments, Rationale = rationale, Reason = reason,
        };

    /// <summary>A solver's history as the endpoint reads it; deliberately not redacted, so the endpoint's own redaction is tested.</summary>
    internal sealed class FakeCreativeHistory(params CreativeSolverEvent[] events) : ICreativeHistory
    {
        public IReadOnlyList<CreativeSolverEvent> History { get; } = events;
    }
}
