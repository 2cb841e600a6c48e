using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Steadfast.AspNetCore.Tests.Endpoints;

public sealed class LearningEndpointsTests
{
    [Fact]
    public async Task GetFailures_FilteredByOperationAndErrorType_ReturnsMatchesNewestFirst()
    {
        await using var host = await TestHost.StartAsync();
        host.Analyzer.RecordFailure(new TimeoutException("first"), "checkout", strategy: "primary");
        host.Analyzer.RecordFailure(new InvalidOperationException("other type"), "checkout", strategy: "primary");
        host.Analyzer.RecordFailure(new TimeoutException("other operation"), "search");
        host.Analyzer.RecordFailure(new TimeoutException("second"), "checkout", strategy: "backup");

        var failures = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/failures?operation=checkout&errorType=TimeoutException");

        Assert.Equal(2, failures.GetArrayLength());
        Assert.All(failures.EnumerateArray(), f => Assert.Equal("checkout", f.GetProperty("operation").GetString()));
        Assert.All(failures.EnumerateArray(), f => Assert.Equal("TimeoutException", f.GetProperty("errorType").GetString()));
        Assert.Equal("Timeout", failures[0].GetProperty("category").GetString());
    }

    [Fact]
    public async Task GetFailures_Limit_ReturnsAtMostLimit()
    {
        await using var host = await TestHost.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            host.Analyzer.RecordFailure(new TimeoutException("slow " + i), "checkout");
        }

        var failures = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/failures?limit=2");

        Assert.Equal(2, failures.GetArrayLength());
    }

    [Fact]
    public async Task GetFailures_SinceInFuture_ReturnsNone()
    {
        await using var host = await TestHost.StartAsync();
        host.Analyzer.RecordFailure(new TimeoutException("slow"), "checkout");

        var failures = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/failures?since=2999-01-01T00:00:00Z");

        Assert.Equal(0, failures.GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("since=yesterday", "since")]
    public async Task GetFailures_InvalidQuery_Returns400NamingField(string query, string field)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client().GetAsync("/steadfast/failures?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _));
    }

    [Fact]
    public async Task GetFailures_MessageWithSecret_IsRedacted()
    {
        await using var host = await TestHost.StartAsync();
        host.Analyzer.RecordFailure(new InvalidOperationException("login failed with password=hunter2"), "login",
            new Dictionary<string, object?> { ["api_key"] = "sk-abcdefghijklmnopqrstuvwxyz", ["region"] = "eu" });

        var body = await host.Client().GetStringAsync("/steadfast/failures");

        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-abcdefghijklmnopqrstuvwxyz", body, StringComparison.Ordinal);
        Assert.Contains("\"region\":\"eu\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAnalytics_AfterOutcomes_ReportsTotalsAndAttemptsPerSuccess()
    {
        await using var host = await TestHost.StartAsync();
        host.Analyzer.RecordFailure(new TimeoutException("slow"), "checkout", strategy: "primary");
        host.Analyzer.RecordFailure(new TimeoutException("slow"), "checkout", strategy: "primary");
        host.Analyzer.RecordSuccess("checkout", "backup");

        var analytics = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/analytics");

        Assert.Equal(2, analytics.GetProperty("totalFailures").GetInt64());
        Assert.Equal("checkout", analytics.GetProperty("problematicOperations")[0].GetProperty("operation").GetString());
        var operation = Assert.Single(analytics.GetProperty("operations").EnumerateArray());
        Assert.Equal("checkout", operation.GetProperty("operation").GetString());
        Assert.Equal(3.0, operation.GetProperty("attemptsPerSuccess").GetDouble(), 3);
        Assert.Equal(1.0 / 3, operation.GetProperty("successRate").GetDouble(), 3);
        Assert.Equal(2, operation.GetProperty("strategies").GetArrayLength());
    }

    [Fact]
    public async Task GetAnalytics_NoSuccessYet_AttemptsPerSuccessIsNull()
    {
        await using var host = await TestHost.StartAsync();
        host.Analyzer.RecordFailure(new TimeoutException("slow"), "checkout", strategy: "primary");

        var analytics = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/analytics");

        Assert.Equal(JsonValueKind.Null, analytics.GetProperty("operations")[0].GetProperty("attemptsPerSuccess").ValueKind);
    }

    [Fact]
    public async Task GetPattern_RepeatedError_ReturnsPatternRootCauseAndRecommendations()
    {
        await using var host = await TestHost.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            host.Analyzer.RecordFailure(new TimeoutException("upstream timed out"), "checkout", strategy: "primary");
        }

        var pattern = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/patterns/checkout");

        Assert.Equal("checkout", pattern.GetProperty("operation").GetString());
        Assert.NotEqual("None", pattern.GetProperty("pattern").GetString());
        Assert.False(string.IsNullOrEmpty(pattern.GetProperty("rootCause").GetProperty("description").GetString()));
        Assert.True(pattern.GetProperty("recommendations").GetArrayLength() > 0);
        Assert.Equal(4, pattern.GetProperty("failureCount").GetInt32());
    }

    [Fact]
    public async Task GetPattern_NoFailures_ReturnsNone()
    {
        await using var host = await TestHost.StartAsync();

        var pattern = await host.Client().GetFromJsonAsync<JsonElement>("/steadfast/patterns/quiet");

        Assert.Equal("None", pattern.GetProperty("pattern").GetString());
        Assert.Equal(0, pattern.GetProperty("failureCount").GetInt32());
    }
}
