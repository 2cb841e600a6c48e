using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Durable.Queue;

public sealed class InMemoryQueueStoreTests : QueueStoreContractTests
{
    protected override IQueueStore CreateStore(TempDirectory temp, string queueName) => new InMemoryQueueStore();
}
