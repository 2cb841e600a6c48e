using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests.Demo.Storage;

// --fresh deletes a Steadfast database and says so; a file that is not Steadfast's is refused with exit code 1 and one line
// naming --db, and stays byte for byte as it was (issue 11). The demo without --fresh refuses such a file the same way.
[Collection(VirtualTimeCollection.Name)]
public sealed class DemoFreshTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public static TheoryData<string> NotSteadfasts => new() { "another application's SQLite", "marked by another application", "a text file", "random bytes" };

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Fresh_SteadfastDatabase_DeletedAndSaysWhat()
    {
        var first = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--json"));
        Assert.Equal(ExitCodes.Success, first.ExitCode);

        var json = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--fresh", "--json"));
        var text = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--fresh"));

        Assert.Equal(ExitCodes.Success, json.ExitCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.Json.GetProperty("startedFrom").ValueKind);
        var deleted = json.Json.GetProperty("fresh").GetProperty("deleted").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(_cli.Database, deleted);
        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains($"--fresh: deleted the Steadfast database '{_cli.Database}'", text.Output.Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fresh_NoDatabase_SaysThereWasNothingToDelete()
    {
        var result = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", "--fresh"));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("--fresh: there was no database to delete.", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NotSteadfasts))]
    public async Task Fresh_FileThatIsNotSteadfasts_RefusedAndByteIdentical(string kind)
    {
        await RefusedAsync(kind, "--fresh");
    }

    [Theory]
    [MemberData(nameof(NotSteadfasts))]
    public async Task Demo_FileThatIsNotSteadfasts_RefusedAndByteIdentical(string kind)
    {
        await RefusedAsync(kind);
    }

    private async Task RefusedAsync(string kind, params string[] extra)
    {
        Write(kind, _cli.Database);
        var before = Checksum(_cli.Database);
        var files = Directory.GetFiles(_cli.Folder);

        var result = await _cli.RunAsync(DemoRuns.DemoArgs("sequential", [.. extra]));

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains($"--db '{_cli.Database}' is not", line, StringComparison.Ordinal);
        Assert.Contains("left as it is", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output); // refused before the run: no report, no "Running the demo" line
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, Checksum(_cli.Database));
        Assert.Equal(files, Directory.GetFiles(_cli.Folder)); // no journal, WAL or other file left beside it
    }

    private static void Write(string kind, string path)
    {
        switch (kind)
        {
            case "a text file":
                File.WriteAllText(path, "name,amount\nalice,10\nbob,20\n");
                break;
            case "random bytes":
                var bytes = new byte[8192];
                new Random(7).NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                break;
            default:
                using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = kind == "marked by another application"
                        ? "PRAGMA application_id = 1234; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');"
                        : "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('alice');";
                    command.ExecuteNonQuery();
                }

                break;
        }
    }

    private static string Checksum(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
