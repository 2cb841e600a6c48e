using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Sqlite;

public sealed class SqliteCheckpointStoreTests : CheckpointStoreContractTests
{
    protected override ICheckpointStore CreateStore(TempDirectory temp) => new SqliteCheckpointStore(temp.File("data/checkpoints.db"));

    [Fact]
    public async Task Reopen_AfterDispose_KeepsEverything()
    {
        await Store.AppendCheckpointAsync(new CheckpointRecord("w", 0, DateTimeOffset.UnixEpoch, 1, "c", new byte[] { 1, 2 }), 10);
        ((IDisposable)Store).Dispose();

        using var reopened = new SqliteCheckpointStore(Temp.File("data/checkpoints.db"));

        Assert.Single(await reopened.ListCheckpointsAsync("w"));
    }

    [Fact]
    public void Constructor_NotADatabase_ThrowsNamingTheFile()
    {
        var file = Temp.File("garbage.db");
        File.WriteAllBytes(file, Enumerable.Repeat((byte)'x', 4096).ToArray());

        var ex = Assert.Throws<SteadfastException>(() => new SqliteCheckpointStore(file));

        Assert.Contains("garbage.db", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SqliteCheckpointStore), ex.Message, StringComparison.Ordinal);
    }
}
