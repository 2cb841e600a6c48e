using Steadfast.Testing.Contracts;
namespace Steadfast.Tests.Sqlite;

/// <summary>The circuit store contract against a real SQLite file; reopening the file must see what was saved.</summary>
public sealed class SqliteCircuitStateStoreContractTests : CircuitStateStoreContractTests
{
    private readonly TempDatabase _db = new();

    protected override bool SupportsReopen => true;

    protected override Task<ICircuitStateStore> CreateStoreAsync() => Task.FromResult<ICircuitStateStore>(new SqliteCircuitStateStore(_db.File()));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }
}

/// <summary>What only the SQLite circuit store has: one file shared with the failure store, bad files.</summary>
public sealed class SqliteCircuitStateStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static CircuitBreakerSnapshot Open(string name) => new()
    {
        Name = name,
        State = CircuitState.Open,
        OpenUntil = new DateTimeOffset(2026, 1, 10, 12, 0, 30, TimeSpan.Zero),
        SavedAt = new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task SharesFileWithFailureStore()
    {
        await new SqliteFailureStore(_db.File()).AddToBlacklistAsync(new BlacklistEntry { StrategyName = "s", Operation = "o", Reason = "r", AddedAt = DateTimeOffset.UnixEpoch });
        var circuits = new SqliteCircuitStateStore(_db.File());

        await circuits.SaveAsync(Open("a"));

        Assert.Single(await circuits.LoadAllAsync());
        Assert.Single(await new SqliteFailureStore(_db.File()).GetBlacklistAsync());
    }

    [Fact]
    public async Task CorruptFile_Throws_NeverLosesSilently()
    {
        await File.WriteAllTextAsync(_db.File(), new string('x', 4096));

        await using var store = new SqliteCircuitStateStore(_db.File());
        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.SaveAsync(Open("a")));

        Assert.Contains(_db.File(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(_db.File(), ex.Location);
    }
}
