using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Learning.Storage;

public sealed class InMemoryFailureStoreContractTests : FailureStoreContractTests
{
    protected override IFailureStore CreateStore(TimeProvider time) => new InMemoryFailureStore(timeProvider: time);
}
