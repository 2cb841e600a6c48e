using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Sqlite;

public sealed class SqliteFailureStoreContractTests : FailureStoreContractTests
{
    private readonly TempDatabase _db = new();

    protected override IFailureStore CreateStore(TimeProvider time) => new SqliteFailureStore(_db.File(), time);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _db.Dispose();
    }
}
