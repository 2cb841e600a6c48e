namespace Steadfast.Cli.Tests.Commands;

/// <summary>--redis points the operator commands at the Redis stores instead of the --db file (needs STEADFAST_TEST_REDIS, from scripts/test-services.sh).</summary>
public sealed class RedisOptionTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Blacklist_WithRedis_WritesAndReadsRedisNotTheFile()
    {
        var address = Environment.GetEnvironmentVariable("STEADFAST_TEST_REDIS")
            ?? throw new InvalidOperationException("STEADFAST_TEST_REDIS is not set: run through scripts/test.sh or `source scripts/test-services.sh` first.");
        var strategy = "cli-" + Guid.NewGuid().ToString("N");

        var add = await _cli.RunAsync("blacklist", "add", strategy, "chat", "--reason", "dead", "--redis", address);
        var list = await _cli.RunAsync("blacklist", "list", "--json", "--redis", address);
        var onFile = await _cli.RunAsync("blacklist", "list", "--json");
        var remove = await _cli.RunAsync("blacklist", "remove", strategy, "chat", "--redis", address);

        Assert.Equal(0, add.ExitCode);
        Assert.Contains(strategy, list.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.Database));
        Assert.NotEqual(0, onFile.ExitCode); // without --redis the commands still read the --db file, which does not exist
        Assert.Equal(0, remove.ExitCode);
    }
}
