using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.CircuitBreaker.Persistence;

public class InMemoryCircuitStateStoreTests : CircuitStateStoreContractTests
{
    protected override Task<ICircuitStateStore> CreateStoreAsync() => Task.FromResult<ICircuitStateStore>(new InMemoryCircuitStateStore());
}
