using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Commands;

/// <summary>
/// Issue 11, points 1 and 2 at the command line: read commands never write, and no command changes a file that is not
/// Steadfast's. Every case compares SHA-256 checksums of the whole folder before and after.
/// </summary>
public sealed class DatabaseSafetyTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static readonly string[][] Reads =
    [
        ["analytics"], ["analytics", "--json"], ["failures"], ["failures", "--json"], ["blacklist", "list"], ["blacklist", "list", "--all", "--json"],
        ["circuits", "list"], ["circuits", "list", "--json"],
    ];

    private static readonly string[][] Writes =
    [
        ["blacklist", "add", "s", "op", "--reason", "r"], ["blacklist", "remove", "s", "op"], ["circuits", "reset", "svc"], ["cleanup", "--days", "30"], ["upgrade"],
    ];

    private static readonly string[] ForeignKinds = ["other-app", "own-failures-table", "text", "random"];

    public static TheoryData<string[]> ReadCommands => [.. Reads];

    [Theory]
    [MemberData(nameof(ReadCommands))]
    public async Task ReadCommand_SteadfastDatabase_SucceedsAndLeavesEveryByte(string[] args)
    {
        await SeedAsync();
        var before = Snapshot();

        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [MemberData(nameof(ReadCommands))]
    public async Task ReadCommand_EmptyFile_SaysNoSteadfastDatabaseHereAndLeavesItEmpty(string[] args)
    {
        await File.WriteAllBytesAsync(_cli.Database, []);
        var before = Snapshot();

        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("error: no Steadfast database here", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
        Assert.Equal(0, new FileInfo(_cli.Database).Length);
    }

    [Theory]
    [MemberData(nameof(ReadCommands))]
    public async Task ReadCommand_MissingFile_CreatesNothing(string[] args)
    {
        var db = Path.Combine(_cli.Folder, "sub", "missing.db");

        var result = await _cli.RunAsync([.. args, "--db", db]);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("no Steadfast database here", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(db)));
    }

    public static TheoryData<string, string[]> ForeignCases()
    {
        var cases = new TheoryData<string, string[]>();
        foreach (var kind in ForeignKinds)
        {
            foreach (var args in Reads.Concat(Writes))
            {
                cases.Add(kind, args);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(ForeignCases))]
    public async Task AnyCommand_FileThatIsNotSteadfasts_RefusedInOneLineNamingDbAndUnchanged(string kind, string[] args)
    {
        CreateForeign(kind, _cli.Database);
        var before = Snapshot();

        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith($"error: --db '{_cli.Database}' is not a Steadfast database", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("dbPath", result.Error, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task ReadCommand_OlderDatabase_RefusedNamingUpgrade_UpgradeThenReads()
    {
        using (var c = new SqliteConnection($"Data Source={_cli.Database};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                PRAGMA application_id = 1398031430; PRAGMA user_version = 1;
                CREATE TABLE steadfast_schema (module TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL);
                INSERT INTO steadfast_schema VALUES ('learning', 0);
                """;
            cmd.ExecuteNonQuery();
        }

        var before = Snapshot();

        var refused = await _cli.RunAsync("analytics");
        Assert.Equal(before, Snapshot());
        var upgrade = await _cli.RunAsync("upgrade", "--json");
        var after = await _cli.RunAsync("analytics", "--json");

        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Contains("older Steadfast", refused.Error, StringComparison.Ordinal);
        Assert.Contains("'steadfast upgrade --db", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, upgrade.ExitCode);
        Assert.True(upgrade.Json.GetProperty("upgraded").GetBoolean());
        Assert.Equal(0, after.Json.GetProperty("totalFailures").GetInt64());
    }

    [Fact]
    public async Task CircuitsList_DatabaseWithOnlyLearning_ShowsNoCircuitsAndAddsNoTable()
    {
        await using (var store = new SqliteFailureStore(_cli.Database, _cli.Time))
        {
            await store.SaveFailureAsync(new Failure { Timestamp = _cli.Time.GetUtcNow(), Operation = "op", ErrorType = "X", ErrorMessage = "m" });
        }

        SqliteConnection.ClearAllPools();
        var before = Snapshot();

        var result = await _cli.RunAsync("circuits", "list");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("No circuit state is persisted", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task CircuitsReset_UnknownName_WritesNothing()
    {
        await SeedAsync();
        var before = Snapshot();

        var result = await _cli.RunAsync("circuits", "reset", "nope");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal(before, Snapshot());
    }

    private async Task SeedAsync()
    {
        var now = _cli.Time.GetUtcNow();
        await using (var failures = new SqliteFailureStore(_cli.Database, _cli.Time))
        await using (var circuits = new SqliteCircuitStateStore(_cli.Database))
        {
            await failures.SaveFailureAsync(new Failure { Timestamp = now, Operation = "fetch_quote", ErrorType = "TimeoutException", ErrorMessage = "timed out" });
            await failures.AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "op", Reason = "r", AddedAt = now });
            await circuits.SaveAsync(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Open, OpenedAt = now, OpenUntil = now.AddMinutes(1), SavedAt = now });
        }

        SqliteConnection.ClearAllPools();
    }

    private static void CreateForeign(string kind, string path)
    {
        switch (kind)
        {
            case "other-app":
                Execute(path, "PRAGMA journal_mode = WAL; CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5);");
                break;
            case "own-failures-table":
                Execute(path, "CREATE TABLE failures (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO failures VALUES (1, 'theirs');");
                break;
            case "text":
                File.WriteAllText(path, "name,total\nalice,3\n" + new string('.', 200));
                break;
            default:
                File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(8192));
                break;
        }
    }

    private static void Execute(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Every file and folder under the runner's folder with its SHA-256.</summary>
    private string Snapshot()
        => string.Join('\n', Directory.GetFileSystemEntries(_cli.Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(_cli.Folder, f) + " " + (File.Exists(f) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) : "dir")));
}
