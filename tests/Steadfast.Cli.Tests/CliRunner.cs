using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Steadfast.Cli.Infrastructure;

namespace Steadfast.Cli.Tests;

/// <summary>Runs the steadfast command in-process against a database in a fresh temporary folder.</summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Folder = Path.Combine(Path.GetTempPath(), "steadfast-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Database = Path.Combine(Folder, "steadfast.db");
    }

    public string Folder { get; }

    public string Database { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Runs one command line with --db pointing at this runner's database (unless the args name one).</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    /// <summary>Runs one command line with a cancellation token standing for Ctrl+C.</summary>
    public async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var withDb = args.Contains("--db") ? args : [.. args, "--db", Database];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(withDb, CliContext.ForWriters(output, error, Time), cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail a test on cleanup.
        }
    }
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement;
}
