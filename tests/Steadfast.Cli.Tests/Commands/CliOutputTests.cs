using System.Text.Json;
using System.Text.RegularExpressions;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Commands;

/// <summary>Issue 11, point 5: one error line per mistake, in the user's words; JSON on every outcome; one timestamp format.</summary>
public sealed partial class CliOutputTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("bogus")]
    [InlineData("blacklist")]
    [InlineData("analytics", "--nope")]
    [InlineData("demo", "--seed", "abc")]
    public async Task Mistake_PrintsExactlyOneErrorLine(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("--help", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoMistakes_TwoLines()
    {
        var result = await _cli.RunAsync("failures", "--limit", "many", "--bogus");

        Assert.Equal(2, result.Error.TrimEnd().Split('\n').Length);
    }

    [Theory]
    [InlineData("demo", "--seed", "abc", "error: --seed must be a whole number; was 'abc'.")]
    [InlineData("failures", "--limit", "many", "error: --limit must be a whole number; was 'many'.")]
    [InlineData("cleanup", "--days", "x", "error: --days must be a whole number; was 'x'.")]
    [InlineData("bogus", "error: unknown command or argument 'bogus'.")]
    [InlineData("blacklist", "error: 'blacklist' needs a command: list, add, remove.")]
    public async Task TypeAndCommandErrors_AreInTheUsersWords(params string[] argsAndExpected)
    {
        var result = await _cli.RunAsync(argsAndExpected[..^1]);

        Assert.StartsWith(argsAndExpected[^1], result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Int32", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duration_WithoutUnit_SuggestsTheUnit()
    {
        var result = await _cli.RunAsync("demo", "--duration", "90");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("did you mean 90s?", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.Database));
    }

    public static TheoryData<string[], int> JsonErrors => new()
    {
        { ["bogus", "--json"], ExitCodes.Usage },
        { ["failures", "--limit", "x", "--json"], ExitCodes.Usage },
        { ["cleanup", "--days", "0", "--json"], ExitCodes.Usage },
        { ["demo", "--duration", "90", "--json"], ExitCodes.Usage },
        { ["analytics", "--json"], ExitCodes.Failure },
        { ["circuits", "list", "--json"], ExitCodes.Failure },
        { ["blacklist", "add", "s", "op", "--reason", " ", "--json"], ExitCodes.Usage },
    };

    [Theory]
    [MemberData(nameof(JsonErrors))]
    public async Task Json_EveryError_IsOneJsonObjectWithErrorAndExitCode(string[] args, int exitCode)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(JsonValueKind.Object, result.Json.ValueKind);
        Assert.Equal(exitCode, result.Json.GetProperty("exitCode").GetInt32());
        Assert.Equal(result.Error.TrimEnd()["error: ".Length..], result.Json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("analytics")]
    [InlineData("failures")]
    [InlineData("blacklist", "list")]
    [InlineData("circuits", "list")]
    [InlineData("circuits", "reset", "svc")]
    [InlineData("blacklist", "add", "x", "op", "--reason", "r")]
    [InlineData("cleanup")]
    [InlineData("upgrade")]
    public async Task Json_EverySuccess_IsOneJsonObject(params string[] args)
    {
        await SeedAsync();

        var result = await _cli.RunAsync([.. args, "--json"]);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(JsonValueKind.Object, result.Json.ValueKind);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Json_CircuitsResetUnknown_PrintsAResultLikeBlacklistRemove()
    {
        await SeedAsync();

        var reset = await _cli.RunAsync("circuits", "reset", "nope", "--json");
        var remove = await _cli.RunAsync("blacklist", "remove", "nope", "op", "--json");

        Assert.Equal(ExitCodes.Failure, reset.ExitCode);
        Assert.Equal("nope", reset.Json.GetProperty("name").GetString());
        Assert.False(reset.Json.GetProperty("reset").GetBoolean());
        Assert.Equal(1, reset.Json.GetProperty("exitCode").GetInt32());
        Assert.Contains("no circuit named 'nope'", reset.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, remove.ExitCode);
        Assert.False(remove.Json.GetProperty("removed").GetBoolean());
        Assert.Equal(1, remove.Json.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Json_CircuitsResetKnown_SaysItWasReset()
    {
        await SeedAsync();

        var reset = await _cli.RunAsync("circuits", "reset", "svc", "--json");

        Assert.Equal(ExitCodes.Success, reset.ExitCode);
        Assert.True(reset.Json.GetProperty("reset").GetBoolean());
        Assert.Equal("open", reset.Json.GetProperty("previousState").GetString());
    }

    [Fact]
    public async Task Json_Timestamps_HaveOneFormatEverywhere()
    {
        await SeedAsync();

        var texts = new List<string>();
        foreach (var args in new[] { new[] { "failures", "--json" }, ["blacklist", "list", "--all", "--json"], ["circuits", "list", "--json"] })
        {
            var result = await _cli.RunAsync(args);
            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Collect(result.Json, texts);
        }

        Assert.True(texts.Count >= 5, string.Join(", ", texts));
        Assert.All(texts, t => Assert.Matches(Timestamp(), t));
    }

    [Fact]
    public async Task Blacklist_ReasonWithASecret_IsStoredAndShownRedacted()
    {
        var add = await _cli.RunAsync("blacklist", "add", "s", "op", "--reason", "leaked token=abc123XYZ in logs");
        var list = await _cli.RunAsync("blacklist", "list", "--json");

        Assert.Equal(ExitCodes.Success, add.ExitCode);
        var reason = Assert.Single(list.Json.GetProperty("entries").EnumerateArray()).GetProperty("reason").GetString();
        Assert.Equal("leaked token=[REDACTED] in logs", reason);
    }

    [Fact]
    public async Task ReadCommands_RecordsStoredWithRawSecrets_AreShownRedacted()
    {
        var now = _cli.Time.GetUtcNow();
        await using (var store = new SqliteFailureStore(_cli.Database, _cli.Time))
        await using (var circuits = new SqliteCircuitStateStore(_cli.Database))
        {
            // Written straight to the stores, as an older Steadfast or another tool could have.
            await store.SaveFailureAsync(new Failure { Timestamp = now, Operation = "op", ErrorType = "X", ErrorMessage = "password='hunter2'" });
            await circuits.SaveAsync(new CircuitBreakerSnapshot { Name = "c", State = CircuitState.Open, LastError = "IOException: Cookie: sid=abc123", SavedAt = now });
        }

        var output = string.Concat(
            (await _cli.RunAsync("failures")).Output, (await _cli.RunAsync("failures", "--json")).Output,
            (await _cli.RunAsync("circuits", "list")).Output, (await _cli.RunAsync("circuits", "list", "--json")).Output);

        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", output, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Table_AtAPipedWidth_KeepsIdentifiersWhole()
    {
        await SeedAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliApp.RunAsync(["failures", "--db", _cli.Database], CliContext.ForWriters(output, error, _cli.Time, width: TerminalWidth.Resolve(true, null)!.Value));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("fetch_quote", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("TimeoutException", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, null, TerminalWidth.Redirected)]
    [InlineData(true, "100", 100)]
    [InlineData(false, "100", 100)]
    [InlineData(true, "5", TerminalWidth.Min)]
    [InlineData(true, "wide", TerminalWidth.Redirected)]
    [InlineData(false, null, null)]
    public void TerminalWidth_HonoursColumnsAndNeverBreaksAtEighty(bool redirected, string? columns, int? expected)
    {
        Assert.Equal(expected, TerminalWidth.Resolve(redirected, columns));
    }

    private async Task SeedAsync()
    {
        var now = _cli.Time.GetUtcNow();
        await using var failures = new SqliteFailureStore(_cli.Database, _cli.Time);
        await using var circuits = new SqliteCircuitStateStore(_cli.Database);
        await failures.SaveFailureAsync(new Failure { Timestamp = now.AddTicks(1234567), Operation = "fetch_quote", ErrorType = "TimeoutException", ErrorMessage = "The operation timed out after 30 seconds waiting for the upstream quote service" });
        await failures.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "op", Reason = "r", AddedAt = now, ExpiresAt = now.AddHours(1) });
        await circuits.SaveAsync(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Open, OpenedAt = now, OpenUntil = now.AddMinutes(1), SavedAt = now });
    }

    private static void Collect(JsonElement element, List<string> texts)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.String && (p.Name.EndsWith("At", StringComparison.Ordinal) || p.Name.EndsWith("Until", StringComparison.Ordinal) || p.Name == "timestamp"))
                    {
                        texts.Add(p.Value.GetString()!);
                    }
                    else
                    {
                        Collect(p.Value, texts);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, texts);
                }

                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$")]
    private static partial Regex Timestamp();
}
