using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Sqlite;

public sealed class SqliteCheckpointStoreTests : CheckpointStoreContractTests
{
    protected override ICheckpointStore CreateStore(TempDirectory temp) => new SqliteCheckpointStore(temp.File("data/checkpoints.db"));

    [Fact]
    public async Task Reopen_AfterDispose_KeepsEverything()
    {
        await Store.AppendCheckpointAsync(new CheckpointRecord("w", 0, DateTimeOffset.UnixEpoch, 1, "c", new byte[] { 1, 2 }), 10);
        await Store.DisposeAsync();

        await using var reopened = new SqliteCheckpointStore(Temp.File("data/checkpoints.db"));

        Assert.Single(await reopened.ListCheckpointsAsync("w"));
    }

    [Fact]
    public async Task FirstUse_NotADatabase_ThrowsForeignNamingTheFileAndLeavesItAlone()
    {
        var file = Temp.File("garbage.db");
        var bytes = Enumerable.Repeat((byte)'x', 4096).ToArray();
        File.WriteAllBytes(file, bytes);
        await using var store = new SqliteCheckpointStore(file); // the constructor does no I/O

        var ex = await Assert.ThrowsAsync<StoreException>(async () => await store.ListWorkflowsAsync());

        Assert.Equal(StoreFailure.Foreign, ex.Failure);
        Assert.Contains("garbage.db", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SqliteCheckpointStore), ex.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }
}
