using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Durable.Checkpoints;

public sealed class FileCheckpointStoreTests : CheckpointStoreContractTests
{
    protected override ICheckpointStore CreateStore(TempDirectory temp) => new FileCheckpointStore(temp.File("checkpoints"));

    [Fact]
    public async Task FirstWrite_PathIsAFile_ThrowsStoreExceptionNamingTheDirectory()
    {
        var file = Temp.File("not-a-dir");
        File.WriteAllText(file, "x");
        await using var store = new FileCheckpointStore(file); // the constructor does no I/O

        var ex = await Assert.ThrowsAsync<StoreException>(async () =>
            await store.SaveWorkflowAsync(new WorkflowInfo("w", WorkflowStatus.Running, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, 0, null)));

        Assert.Equal(nameof(FileCheckpointStore), ex.StoreName);
        Assert.Equal(file, ex.Location);
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public async Task Reads_DirectoryNotCreatedYet_AreEmpty()
    {
        await using var store = new FileCheckpointStore(Temp.File("never-written"));

        Assert.Empty(await store.ListWorkflowsAsync());
        Assert.Empty(await store.ListCheckpointsAsync("w"));
        Assert.False(Directory.Exists(Temp.File("never-written")));
    }
}
