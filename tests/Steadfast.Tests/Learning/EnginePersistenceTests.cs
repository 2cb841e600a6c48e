using Microsoft.Data.Sqlite;
using static Steadfast.Tests.Engine.EngineTestKit;

namespace Steadfast.Tests.Learning;

/// <summary>ResilienceOptions.EnablePersistence end to end: a new engine on the same file starts with the blacklist, statistics and circuits of the previous one.</summary>
public sealed class EnginePersistenceTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private ResilienceOptions Persistent(bool enable = true) => Fast(o =>
    {
        o.EnablePersistence = enable;
        o.PersistencePath = _db.File();
    });

    [Fact]
    public async Task NewEngineOnSameFile_StartsWithBlacklistStatisticsAndOpenCircuit()
    {
        var time = NewTime();
        await using (var first = new ResilienceEngine(Persistent(), timeProvider: time))
        {
            await first.EnsureStartedAsync(); // the clock is driven: let the start-up's real I/O finish first
            var r = await Drive(time, first.ExecuteWithAlternativesAsync([Fails("primary", Transient(), 1.0), Ok("backup", 0.5)], "fetch"));
            Assert.True(r.Success);
            Assert.True(first.Analyzer!.IsStrategyBlacklisted("primary", "fetch"));
            Assert.Equal(CircuitState.Open, first.CircuitBreakers.GetOrCreate(EngineCircuitName("fetch", "primary")).State);
        }

        SqliteConnection.ClearAllPools();
        time.Advance(TimeSpan.FromSeconds(1));
        await using var second = new ResilienceEngine(Persistent(), timeProvider: time);
        await second.EnsureStartedAsync();

        Assert.True(second.Analyzer!.IsStrategyBlacklisted("primary", "fetch"));
        Assert.Equal(5, second.Analyzer.GetStrategyStatistics("primary", "fetch").Failures);
        Assert.Equal(1, second.Analyzer.GetStrategyStatistics("backup", "fetch").Successes);
        Assert.Equal(CircuitState.Open, second.CircuitBreakers.GetOrCreate(EngineCircuitName("fetch", "primary")).State);
        Assert.IsType<SqliteCircuitStateStore>(second.CircuitBreakers.Store);

        // The restarted engine goes straight to what worked, without touching the blacklisted strategy.
        var calls = 0;
        var r2 = await Drive(time, second.ExecuteWithAlternativesAsync(
            [new Strategy<string>("primary", _ => { calls++; return Task.FromResult("p"); }, 1.0), Ok("backup", 0.5)], "fetch"));
        Assert.Equal("backup", r2.Value);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task PersistenceOff_NewEngineStartsFromNothing()
    {
        var time = NewTime();
        await using (var first = new ResilienceEngine(Persistent(enable: false), timeProvider: time))
        {
            await Drive(time, first.ExecuteWithAlternativesAsync([Fails("primary", Transient(), 1.0), Ok("backup", 0.5)], "fetch"));
            Assert.Null(first.CircuitBreakers.Store);
        }

        await using var second = new ResilienceEngine(Persistent(enable: false), timeProvider: time);

        Assert.False(second.Analyzer!.IsStrategyBlacklisted("primary", "fetch"));
        Assert.False(File.Exists(_db.File()));
    }

    [Fact]
    public async Task CorruptFile_EngineStillRuns_LearningInMemory()
    {
        await File.WriteAllTextAsync(_db.File(), new string('x', 8192));
        var time = NewTime();
        await using var engine = new ResilienceEngine(Persistent(), timeProvider: time);
        await engine.EnsureStartedAsync(); // the clock is driven: let the start-up's real I/O finish first

        var r = await Drive(time, engine.ExecuteWithAlternativesAsync([Fails("primary", Transient(), 1.0), Ok("backup", 0.5)], "fetch"));

        Assert.True(r.Success);
        Assert.False(engine.Analyzer!.PersistenceHealthy);
        Assert.True(engine.Analyzer.IsStrategyBlacklisted("primary", "fetch"));
    }

    private static string EngineCircuitName(string operation, string strategy) => operation + "/" + strategy;
}
