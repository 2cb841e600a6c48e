using Steadfast.Testing.Contracts;

namespace Steadfast.Tests.Sqlite;

public sealed class SqliteQueueStoreTests : QueueStoreContractTests
{
    protected override IQueueStore CreateStore(TempDirectory temp, string queueName) => new SqliteQueueStore(temp.File("queue.db"), queueName);

    [Fact]
    public async Task TwoStoresOnOneFile_ShareItemsAndNeverDoubleClaim()
    {
        await using var other = new SqliteQueueStore(Temp.File("queue.db"), "q");
        for (var i = 0; i < 40; i++)
        {
            await Store.TryEnqueueAsync(new[] { (byte)i }, 0, DateTimeOffset.UnixEpoch, 100);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? Store : other).ClaimOneAsync(DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), 3)));

        var ids = claims.OfType<QueueLease>().Select(c => c.ItemId).ToList();
        Assert.Equal(40, ids.Count);
        Assert.Equal(40, ids.Distinct().Count());
    }

    [Fact]
    public async Task QueueName_DifferentQueuesInOneFile_AreSeparate()
    {
        await using var other = new SqliteQueueStore(Temp.File("queue.db"), "other");
        await Store.TryEnqueueAsync(new byte[] { 1 }, 0, DateTimeOffset.UnixEpoch, 100);

        Assert.Null(await other.ClaimOneAsync(DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(1), 3));
        Assert.Equal(0, (await other.GetStatsAsync()).Pending);
        Assert.Equal(1, (await Store.GetStatsAsync()).Pending);
    }
}
