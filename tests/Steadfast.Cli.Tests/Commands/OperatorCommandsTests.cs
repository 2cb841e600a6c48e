using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Commands;

public sealed class OperatorCommandsTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("analytics")]
    [InlineData("failures")]
    [InlineData("blacklist", "list")]
    [InlineData("blacklist", "remove", "s", "op")]
    [InlineData("circuits", "list")]
    [InlineData("circuits", "reset", "c")]
    [InlineData("cleanup")]
    public async Task ReadCommand_MissingDatabase_FailsInOneLineAndCreatesNothing(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("error: no Steadfast database here: --db", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.Database));
    }

    [Fact]
    public async Task AnyCommand_DatabaseIsADirectory_FailsNamingIt()
    {
        var result = await _cli.RunAsync("analytics", "--db", _cli.Folder);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("is a directory", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("analytics", "--nope")]
    [InlineData("failures", "--limit", "0")]
    [InlineData("failures", "--limit", "many")]
    [InlineData("failures", "--since", "yesterdayish")]
    [InlineData("cleanup", "--days", "0")]
    [InlineData("blacklist", "add", "s", "op")]
    [InlineData("blacklist", "add", "s", "op", "--reason", "r", "--expires", "soon")]
    public async Task BadArguments_ExitWithUsageCode(params string[] args)
    {
        await SeedAsync();

        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Everywhere_ExitsZeroAndNamesTheTool()
    {
        foreach (var args in new[] { new[] { "--help" }, ["blacklist", "add", "--help"], ["failures", "--help"] })
        {
            var result = await _cli.RunAsync(args);

            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Assert.Contains("steadfast", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Analytics_EmptyDatabase_ShowsZeroAndJsonParses()
    {
        await using (var store = await OpenStoreAsync())
        {
            await store.ClearAllAsync(); // creates the schema: an existing, empty database
        }

        var table = await _cli.RunAsync("analytics");
        var json = await _cli.RunAsync("analytics", "--json");

        Assert.Equal(ExitCodes.Success, table.ExitCode);
        Assert.Contains("Total failures: 0", table.Output, StringComparison.Ordinal);
        Assert.Equal(0, json.Json.GetProperty("totalFailures").GetInt64());
        Assert.Equal(7, json.Json.GetProperty("dailyTrends").GetArrayLength());
    }

    [Fact]
    public async Task Analytics_WithFailures_ShowsTotalsErrorsAndOperations()
    {
        await SeedAsync();

        var table = await _cli.RunAsync("analytics");
        var json = await _cli.RunAsync("analytics", "--json");

        Assert.Contains("Total failures: 3", table.Output, StringComparison.Ordinal);
        Assert.Contains("TimeoutException", table.Output, StringComparison.Ordinal);
        Assert.Contains("fetch_quote", table.Output, StringComparison.Ordinal);
        Assert.Equal(3, json.Json.GetProperty("totalFailures").GetInt64());
        Assert.Equal("TimeoutException", json.Json.GetProperty("mostCommonErrors")[0].GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Failures_FiltersAndLimits()
    {
        await SeedAsync();

        var all = await _cli.RunAsync("failures", "--json");
        var byOperation = await _cli.RunAsync("failures", "--operation", "send_mail", "--json");
        var byType = await _cli.RunAsync("failures", "--error-type", "TimeoutException", "--limit", "1", "--json");
        var recent = await _cli.RunAsync("failures", "--since", "30m", "--json");
        var table = await _cli.RunAsync("failures");

        Assert.Equal(3, all.Json.GetProperty("failures").GetArrayLength());
        Assert.Equal(3, all.Json.GetProperty("count").GetInt32());
        Assert.Equal("send_mail", Assert.Single(byOperation.Json.GetProperty("failures").EnumerateArray()).GetProperty("operation").GetString());
        Assert.Single(byType.Json.GetProperty("failures").EnumerateArray());
        Assert.Equal(2, recent.Json.GetProperty("failures").GetArrayLength());
        Assert.Contains("3 failure(s) shown", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blacklist_AddListRemove_RoundTrips()
    {
        var add = await _cli.RunAsync("blacklist", "add", "backup_provider", "fetch_quote", "--reason", "keeps timing out", "--expires", "2h");
        var list = await _cli.RunAsync("blacklist", "list", "--json");
        var remove = await _cli.RunAsync("blacklist", "remove", "backup_provider", "fetch_quote");
        var again = await _cli.RunAsync("blacklist", "remove", "backup_provider", "fetch_quote");
        var empty = await _cli.RunAsync("blacklist", "list");

        Assert.Equal(ExitCodes.Success, add.ExitCode);
        var entry = Assert.Single(list.Json.GetProperty("entries").EnumerateArray());
        Assert.Equal("backup_provider", entry.GetProperty("strategyName").GetString());
        Assert.Equal("keeps timing out", entry.GetProperty("reason").GetString());
        Assert.Equal(_cli.Time.GetUtcNow().AddHours(2), entry.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(ExitCodes.Success, remove.ExitCode);
        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.Contains("not blacklisted", again.Error, StringComparison.Ordinal);
        Assert.Contains("No strategy is blacklisted", empty.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Circuits_ListAndReset()
    {
        var store = new SqliteCircuitStateStore(_cli.Database);
        var now = _cli.Time.GetUtcNow();
        await store.SaveAsync(new CircuitBreakerSnapshot
        {
            Name = "fetch_quote/flaky", State = CircuitState.Open, ConsecutiveFailures = 5, OpenedAt = now, OpenUntil = now.AddSeconds(30),
            LastError = "ServiceException: 503", SavedAt = now,
        });

        var list = await _cli.RunAsync("circuits", "list");
        var reset = await _cli.RunAsync("circuits", "reset", "fetch_quote/flaky");
        var unknown = await _cli.RunAsync("circuits", "reset", "nope");
        var json = await _cli.RunAsync("circuits", "list", "--json");

        Assert.Contains("open", list.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, reset.ExitCode);
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.Equal("closed", Assert.Single(json.Json.GetProperty("circuits").EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Cleanup_DeletesOnlyOldFailures()
    {
        await SeedAsync();
        await using (var store = await OpenStoreAsync())
        {
            await store.SaveFailureAsync(Failure("old_op", "IOException", _cli.Time.GetUtcNow().AddDays(-40)));
        }

        var result = await _cli.RunAsync("cleanup", "--days", "30", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(1, result.Json.GetProperty("deleted").GetInt32());
        var remaining = await _cli.RunAsync("failures", "--json");
        Assert.Equal(3, remaining.Json.GetProperty("failures").GetArrayLength());
    }

    private async Task SeedAsync()
    {
        var now = _cli.Time.GetUtcNow();
        await using var store = await OpenStoreAsync();
        await store.SaveFailureAsync(Failure("fetch_quote", "TimeoutException", now.AddMinutes(-5)));
        await store.SaveFailureAsync(Failure("fetch_quote", "TimeoutException", now.AddMinutes(-10)));
        await store.SaveFailureAsync(Failure("send_mail", "IOException", now.AddHours(-2)));
    }

    private Task<SqliteFailureStore> OpenStoreAsync() => Task.FromResult(new SqliteFailureStore(_cli.Database, _cli.Time));

    private static Failure Failure(string operation, string errorType, DateTimeOffset at) => new()
    {
        Timestamp = at, Operation = operation, ErrorType = errorType, ErrorMessage = errorType + " happened", Category = ErrorCategory.Timeout,
    };
}
