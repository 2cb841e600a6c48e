using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Durable.Checkpoints;

public sealed class InMemoryCheckpointStoreTests : CheckpointStoreContractTests
{
    protected override ICheckpointStore CreateStore(TempDirectory temp) => new InMemoryCheckpointStore();
}
