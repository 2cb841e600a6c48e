using Microsoft.Data.Sqlite;

namespace Steadfast.Tests.Storage;

public sealed class SqliteCircuitStateStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static CircuitBreakerSnapshot Open(string name) => new()
    {
        Name = name,
        State = CircuitState.Open,
        ConsecutiveFailures = 5,
        OpenedAt = new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero),
        OpenUntil = new DateTimeOffset(2026, 1, 10, 12, 0, 30, TimeSpan.Zero),
        ConsecutiveOpenings = 2,
        LastFailureAt = new DateTimeOffset(2026, 1, 10, 11, 59, 59, TimeSpan.Zero),
        LastError = "TimeoutException: timed out",
        SavedAt = new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_RoundTripsEveryField()
    {
        var store = new SqliteCircuitStateStore(_db.File());

        await store.SaveAsync(Open("payments"));

        Assert.Equal(Open("payments"), await store.LoadAsync("payments"));
        Assert.Null(await store.LoadAsync("PAYMENTS"));
    }

    [Fact]
    public async Task SaveAsync_Twice_Replaces()
    {
        var store = new SqliteCircuitStateStore(_db.File());
        await store.SaveAsync(Open("a"));

        await store.SaveAsync(new CircuitBreakerSnapshot { Name = "a", State = CircuitState.Closed });

        var s = await store.LoadAsync("a");
        Assert.Equal(CircuitState.Closed, s!.State);
        Assert.Null(s.OpenUntil);
    }

    [Fact]
    public async Task LoadAllAsync_AndDeleteAsync_SeeEveryCircuit()
    {
        var store = new SqliteCircuitStateStore(_db.File());
        await store.SaveAsync(Open("a"));
        await store.SaveAsync(Open("b"));

        Assert.Equal(["a", "b"], (await store.LoadAllAsync()).Select(s => s.Name).Order());
        Assert.True(await store.DeleteAsync("a"));
        Assert.False(await store.DeleteAsync("a"));
        Assert.Equal(["b"], (await store.LoadAllAsync()).Select(s => s.Name));
    }

    [Fact]
    public async Task NewStoreOnSameFile_AfterRestart_SeesOpenCircuit()
    {
        await new SqliteCircuitStateStore(_db.File()).SaveAsync(Open("a"));
        SqliteConnection.ClearAllPools();

        var restarted = new SqliteCircuitStateStore(_db.File());

        Assert.Equal(Open("a").OpenUntil, (await restarted.LoadAsync("a"))!.OpenUntil);
    }

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

        var ex = await Assert.ThrowsAsync<FailureStoreException>(async () => await new SqliteCircuitStateStore(_db.File()).SaveAsync(Open("a")));

        Assert.Contains(_db.File(), ex.Message, StringComparison.Ordinal);
    }
}
