namespace Steadfast.Testing.Contracts;

/// <summary>The behaviour every <see cref="IQueueStore"/> shares; each adapter supplies only the factory.</summary>
public abstract class QueueStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    protected QueueStoreContractTests() => Store = CreateStore(Temp, "q");

    public TempDirectory Temp { get; } = new();

    protected IQueueStore Store { get; }

    protected abstract IQueueStore CreateStore(TempDirectory temp, string queueName);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Temp.Dispose();
    }

    private Task<long?> Enqueue(byte value, int priority = 0, long maxSize = 100)
        => Store.TryEnqueueAsync(new[] { value }, priority, T0, maxSize).AsTask();

    private async Task<QueueLease> Claim(DateTimeOffset? now = null, int maxAttempts = 3)
        => await Store.ClaimOneAsync(now ?? T0, Lease, maxAttempts) ?? throw new InvalidOperationException("nothing to claim");

    [Fact]
    public async Task TryClaimAsync_MixedPriorities_HighestFirstThenFifo()
    {
        await Enqueue(1, priority: 0);
        await Enqueue(2, priority: 5);
        await Enqueue(3, priority: 0);
        await Enqueue(4, priority: 5);

        var order = new List<byte>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await Claim()).Payload.Span[0]);
        }

        Assert.Equal([2, 4, 1, 3], order);
        Assert.Null(await Store.ClaimOneAsync(T0, Lease, 3));
    }

    [Fact]
    public async Task TryClaimAsync_Claimed_CountsAttemptAndSetsLease()
    {
        await Enqueue(1);

        var lease = await Claim();

        Assert.Equal(1, lease.DeliveryAttempt);
        Assert.Equal(T0 + Lease, lease.LeaseExpiresAt);
        Assert.Equal(T0, lease.EnqueuedAt);
        Assert.Equal(new QueueStats(0, 1, 0, 0), await Store.GetStatsAsync());
    }

    [Fact]
    public async Task TryEnqueueAsync_AtMaxSize_ReturnsNullAndStoresNothing()
    {
        Assert.NotNull(await Enqueue(1, maxSize: 2));
        Assert.NotNull(await Enqueue(2, maxSize: 2));
        await Claim(); // in-flight items count too

        Assert.Null(await Enqueue(3, maxSize: 2));
        Assert.Equal(new QueueStats(1, 1, 0, 0), await Store.GetStatsAsync());
    }

    [Fact]
    public async Task TryEnqueueAsync_BelowMaxSizeAfterCompletion_Accepts()
    {
        await Enqueue(1, maxSize: 1);
        var lease = await Claim();
        Assert.True(await Store.CompleteAsync(lease.ItemId, lease.LeaseToken));

        Assert.NotNull(await Enqueue(2, maxSize: 1));
    }

    [Fact]
    public async Task CompleteAsync_WithLease_RemovesAndCounts()
    {
        await Enqueue(1);
        var lease = await Claim();

        Assert.True(await Store.CompleteAsync(lease.ItemId, lease.LeaseToken));

        Assert.Equal(new QueueStats(0, 0, 1, 0), await Store.GetStatsAsync());
        Assert.False(await Store.CompleteAsync(lease.ItemId, lease.LeaseToken));
    }

    [Fact]
    public async Task CompleteAsync_WrongToken_ReturnsFalse()
    {
        await Enqueue(1);
        var lease = await Claim();

        Assert.False(await Store.CompleteAsync(lease.ItemId, lease.LeaseToken + 1));
        Assert.Equal(new QueueStats(0, 1, 0, 0), await Store.GetStatsAsync());
    }

    [Fact]
    public async Task TryClaimAsync_LeaseExpired_RedeliversWithNewToken()
    {
        await Enqueue(1);
        var first = await Claim();
        Assert.Null(await Store.ClaimOneAsync(T0 + Lease - TimeSpan.FromTicks(1), Lease, 3));

        var second = await Claim(T0 + Lease);

        Assert.Equal(first.ItemId, second.ItemId);
        Assert.Equal(2, second.DeliveryAttempt);
        Assert.NotEqual(first.LeaseToken, second.LeaseToken);
        Assert.False(await Store.CompleteAsync(first.ItemId, first.LeaseToken));
        Assert.True(await Store.CompleteAsync(second.ItemId, second.LeaseToken));
    }

    [Fact]
    public async Task TryClaimAsync_LeaseExpiredOnLastAttempt_DeadLetters()
    {
        await Enqueue(1);
        await Claim(T0, maxAttempts: 1);

        Assert.Null(await Store.ClaimOneAsync(T0 + Lease, Lease, 1));

        var dead = Assert.Single(await Store.GetDeadLettersAsync(10));
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("lease expired", dead.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new QueueStats(0, 0, 0, 1), await Store.GetStatsAsync());
    }

    [Fact]
    public async Task RenewLeaseAsync_Held_KeepsItemFromOthers()
    {
        await Enqueue(1);
        var lease = await Claim();

        Assert.True(await Store.RenewLeaseAsync(lease.ItemId, lease.LeaseToken, T0 + (3 * Lease)));

        Assert.Null(await Store.ClaimOneAsync(T0 + (2 * Lease), Lease, 3));
        Assert.False(await Store.RenewLeaseAsync(lease.ItemId, lease.LeaseToken + 1, T0 + (4 * Lease)));
    }

    [Fact]
    public async Task FailAsync_AttemptsLeft_Requeues()
    {
        await Enqueue(1);
        var lease = await Claim();

        Assert.Equal(QueueFailureOutcome.Requeued, await Store.FailAsync(lease.ItemId, lease.LeaseToken, "boom", T0, 3));

        var again = await Claim();
        Assert.Equal(2, again.DeliveryAttempt);
        Assert.Equal("boom", again.LastError);
    }

    [Fact]
    public async Task FailAsync_LastAttempt_DeadLettersWithError()
    {
        await Enqueue(7, priority: 4);
        var lease = await Claim(maxAttempts: 1);

        Assert.Equal(QueueFailureOutcome.DeadLettered, await Store.FailAsync(lease.ItemId, lease.LeaseToken, "poison", T0.AddSeconds(1), 1));

        var dead = Assert.Single(await Store.GetDeadLettersAsync(10));
        Assert.Equal(new StoredDeadLetter(lease.ItemId, dead.Payload, 4, 1, "poison", T0, T0.AddSeconds(1)), dead);
        Assert.Equal(7, dead.Payload.Span[0]);
        Assert.Equal(new QueueStats(0, 0, 0, 1), await Store.GetStatsAsync());
        Assert.Null(await Store.ClaimOneAsync(T0, Lease, 1));
    }

    [Fact]
    public async Task FailAsync_WrongToken_LeaseLost()
    {
        await Enqueue(1);
        var lease = await Claim();

        Assert.Equal(QueueFailureOutcome.LeaseLost, await Store.FailAsync(lease.ItemId, lease.LeaseToken + 1, "x", T0, 3));
    }

    [Fact]
    public async Task ReleaseAsync_Held_ReturnsToPendingWithoutCountingTheDelivery()
    {
        await Enqueue(1);
        var lease = await Claim();

        Assert.True(await Store.ReleaseAsync(lease.ItemId, lease.LeaseToken));

        Assert.Equal(1, (await Claim()).DeliveryAttempt);
        Assert.False(await Store.ReleaseAsync(lease.ItemId, lease.LeaseToken));
    }

    [Fact]
    public async Task ReplayDeadLetterAsync_Dead_PendingWithFreshAttempts()
    {
        await Enqueue(1);
        var lease = await Claim(maxAttempts: 1);
        await Store.FailAsync(lease.ItemId, lease.LeaseToken, "poison", T0, 1);

        Assert.True(await Store.ReplayDeadLetterAsync(lease.ItemId));

        Assert.Equal(new QueueStats(1, 0, 0, 0), await Store.GetStatsAsync());
        Assert.Equal(1, (await Claim()).DeliveryAttempt);
        Assert.False(await Store.ReplayDeadLetterAsync(lease.ItemId));
        Assert.False(await Store.ReplayDeadLetterAsync(12345));
    }

    [Fact]
    public async Task PurgeDeadLettersAsync_Dead_DeletesOnlyThem()
    {
        await Enqueue(1);
        await Enqueue(2);
        var lease = await Claim(maxAttempts: 1);
        await Store.FailAsync(lease.ItemId, lease.LeaseToken, "poison", T0, 1);

        Assert.Equal(1, await Store.PurgeDeadLettersAsync());

        Assert.Empty(await Store.GetDeadLettersAsync(10));
        Assert.Equal(new QueueStats(1, 0, 0, 0), await Store.GetStatsAsync());
    }

    [Fact]
    public async Task TryClaimAsync_MaxCount_LeasesABatchInDeliveryOrder()
    {
        await Enqueue(1, priority: 1);
        await Enqueue(2, priority: 3);
        await Enqueue(3, priority: 1);
        await Enqueue(4, priority: 3);

        var leases = await Store.TryClaimAsync(T0, Lease, 3, maxCount: 3);

        Assert.Equal([2, 4, 1], leases.Select(l => l.Payload.Span[0]));
        Assert.All(leases, l => Assert.Equal(1, l.DeliveryAttempt));
        Assert.Equal(new QueueStats(1, 3, 0, 0), await Store.GetStatsAsync());
        Assert.Single(await Store.TryClaimAsync(T0, Lease, 3, maxCount: 10));
    }

    [Fact]
    public async Task TryEnqueueManyAsync_Fits_AddsAllInOrder()
    {
        var ids = await Store.TryEnqueueManyAsync([new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 }], 0, T0, 3);

        Assert.NotNull(ids);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal([1, 2, 3], (await Store.TryClaimAsync(T0, Lease, 3, 10)).Select(l => l.Payload.Span[0]));
    }

    [Fact]
    public async Task TryEnqueueManyAsync_DoesNotAllFit_AddsNone()
    {
        await Enqueue(9, maxSize: 3);

        Assert.Null(await Store.TryEnqueueManyAsync([new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 }], 0, T0, 3));

        Assert.Equal(new QueueStats(1, 0, 0, 0), await Store.GetStatsAsync());
    }

    [Fact]
    public async Task TryClaimAsync_Concurrent_EachItemLeasedOnce()
    {
        for (byte i = 0; i < 50; i++)
        {
            await Enqueue(i);
        }

        var leases = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Store.ClaimOneAsync(T0, Lease, 3)));

        var ids = leases.OfType<QueueLease>().Select(l => l.ItemId).ToList();
        Assert.Equal(50, ids.Count);
        Assert.Equal(50, ids.Distinct().Count());
    }
}
