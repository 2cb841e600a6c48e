using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Validation;

/// <summary>
/// Issue 11, point 5, in the library: blank operation names are refused at every public entry point that records or runs
/// an operation, options name themselves, and a cleanup never deletes everything: each rule with its accepted side.
/// </summary>
public sealed class EntryPointValidationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
    private FailureAnalyzer _analyzer = null!;

    public Task InitializeAsync()
    {
        _analyzer = new FailureAnalyzer(new InMemoryFailureStore(timeProvider: _time), timeProvider: _time);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _analyzer.DisposeAsync();

    public static TheoryData<string> BlankNames => ["", " ", "\t", " \n "];

    [Theory]
    [MemberData(nameof(BlankNames))]
    public async Task EveryEntryPoint_BlankOperationName_ThrowsNamingTheParameter(string blank)
    {
        var engine = new ResilienceEngine(timeProvider: _time);
        var store = new InMemoryFailureStore(timeProvider: _time);

        Assert.Equal("operation", Assert.ThrowsAny<ArgumentException>(() => _analyzer.RecordFailure(new TimeoutException(), blank)).ParamName);
        Assert.Equal("operation", Assert.ThrowsAny<ArgumentException>(() => _analyzer.RecordSuccess(blank)).ParamName);
        Assert.Equal("operation", (await Assert.ThrowsAnyAsync<ArgumentException>(() => _analyzer.AddToBlacklistAsync("s", blank, "r"))).ParamName);
        Assert.Equal("strategyName", (await Assert.ThrowsAnyAsync<ArgumentException>(() => _analyzer.AddToBlacklistAsync(blank, "op", "r"))).ParamName);
        Assert.Equal("operationName", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await engine.ExecuteAsync(_ => Task.FromResult(1), blank))).ParamName);
        Assert.Equal("operationName", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await engine.ExecuteWithAlternativesAsync([new Strategy<int>("a", _ => Task.FromResult(1))], blank))).ParamName);
        Assert.Equal("operation", (await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.SaveFailureAsync(_time.GetUtcNow(), "X", "m", blank))).ParamName);
    }

    [Fact]
    public async Task EveryEntryPoint_OrdinaryOperationName_IsAccepted()
    {
        await using var engine = new ResilienceEngine(timeProvider: _time);
        var store = new InMemoryFailureStore(timeProvider: _time);

        _analyzer.RecordFailure(new TimeoutException(), "fetch quote"); // inner spaces are part of a name
        _analyzer.RecordSuccess("fetch quote");
        await _analyzer.AddToBlacklistAsync("s", "fetch quote", "r");
        var result = await engine.ExecuteAsync(_ => Task.FromResult(1), "fetch quote");
        await store.SaveFailureAsync(_time.GetUtcNow(), "X", "m", "fetch quote");

        Assert.True(result.Success);
        Assert.Single(_analyzer.GetRecentFailures("fetch quote"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ResilienceOptions_EmptyPersistencePath_ThrowsNamingTheOption(string path)
    {
        var options = new ResilienceOptions { EnablePersistence = true, PersistencePath = path };

        var ex = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.Equal("ResilienceOptions.PersistencePath", ex.ParamName);
        Assert.StartsWith("ResilienceOptions.PersistencePath must not be", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ResilienceEngine(options));
    }

    [Fact]
    public void ResilienceOptions_NullPersistencePath_MeansTheDefaultFileAndIsValid()
    {
        new ResilienceOptions { EnablePersistence = true, PersistencePath = null }.Validate();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(FailureRetention.MaxDays + 1)]
    public async Task CleanupOldFailuresAsync_OutsideTheRule_ThrowsAndForgetsNothing(int days)
    {
        _analyzer.RecordFailure(new TimeoutException(), "op");
        _time.Advance(TimeSpan.FromDays(2));

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _analyzer.CleanupOldFailuresAsync(days));

        Assert.Equal("days", ex.ParamName);
        Assert.Contains($"between {FailureRetention.MinDays} and {FailureRetention.MaxDays}", ex.Message, StringComparison.Ordinal);
        Assert.Single(_analyzer.GetRecentFailures("op"));
    }

    [Fact]
    public async Task CleanupOldFailuresAsync_MinDays_DeletesOlderThanADay()
    {
        _analyzer.RecordFailure(new TimeoutException(), "op");
        _time.Advance(TimeSpan.FromDays(2));
        _analyzer.RecordFailure(new TimeoutException(), "op");

        Assert.Equal(1, await _analyzer.CleanupOldFailuresAsync(FailureRetention.MinDays));
        Assert.Single(_analyzer.GetRecentFailures("op"));
    }
}
