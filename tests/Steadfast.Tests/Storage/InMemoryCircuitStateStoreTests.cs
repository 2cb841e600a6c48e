namespace Steadfast.Tests.Storage;

public class InMemoryCircuitStateStoreTests : CircuitStateStoreContractTests
{
    protected override Task<ICircuitStateStore> CreateStoreAsync() => Task.FromResult<ICircuitStateStore>(new InMemoryCircuitStateStore());
}
