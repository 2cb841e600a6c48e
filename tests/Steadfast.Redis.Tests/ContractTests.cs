using Steadfast.Testing.Contracts;

namespace Steadfast.Redis.Tests;

public sealed class RedisFailureStoreContractTests : FailureStoreContractTests
{
    protected override IFailureStore CreateStore(TimeProvider time) => new RedisFailureStore(RedisTestServer.Connection, RedisTestServer.NewOptions(), time);
}

public sealed class RedisCircuitStateStoreContractTests : CircuitStateStoreContractTests
{
    private readonly RedisStoreOptions _options = RedisTestServer.NewOptions();

    protected override bool SupportsReopen => true;

    protected override async Task<ICircuitStateStore> CreateStoreAsync() => new RedisCircuitStateStore(await RedisTestServer.ConnectionAsync(), _options);
}

public sealed class RedisCheckpointStoreContractTests : CheckpointStoreContractTests
{
    protected override ICheckpointStore CreateStore(TempDirectory temp) => new RedisCheckpointStore(RedisTestServer.Connection, RedisTestServer.NewOptions());
}

public sealed class RedisQueueStoreContractTests : QueueStoreContractTests
{
    protected override IQueueStore CreateStore(TempDirectory temp, string queueName) => new RedisQueueStore(RedisTestServer.Connection, queueName, RedisTestServer.NewOptions());
}
