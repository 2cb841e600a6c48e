using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Durable.Checkpoints;

public sealed class FileCheckpointStoreTests : CheckpointStoreContractTests
{
    protected override ICheckpointStore CreateStore(TempDirectory temp) => new FileCheckpointStore(temp.File("checkpoints"));

    [Fact]
    public void Constructor_PathIsAFile_ThrowsNamingTheDirectory()
    {
        var file = Temp.File("not-a-dir");
        File.WriteAllText(file, "x");

        var ex = Assert.Throws<SteadfastException>(() => new FileCheckpointStore(file));

        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
    }
}
