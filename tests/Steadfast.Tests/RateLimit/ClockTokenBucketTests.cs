using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.RateLimit;

public class ClockTokenBucketTests
{
    private static TimeSpan? RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : null;

    [Fact]
    public void AttemptAcquire_EmptyBucket_RetryAfterShrinksAsTimePasses()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket(1, 1, TimeSpan.FromSeconds(1), clock);
        Assert.True(bucket.AttemptAcquire().IsAcquired);

        clock.Advance(TimeSpan.FromMilliseconds(400));
        using var rejected = bucket.AttemptAcquire();
        Assert.False(rejected.IsAcquired);
        Assert.Equal(TimeSpan.FromMilliseconds(600), RetryAfter(rejected));

        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True(bucket.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_LongIdle_RefillsOnlyUpToBurstSize()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket(3, 1, TimeSpan.FromSeconds(1), clock);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, bucket.GetStatistics()!.CurrentAvailablePermits);
        Assert.True(bucket.AttemptAcquire(3).IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);
        Assert.Equal(1, bucket.GetStatistics()!.TotalFailedLeases);
        Assert.Equal(1, bucket.GetStatistics()!.TotalSuccessfulLeases);
    }

    [Fact]
    public void AttemptAcquire_MoreThanCapacity_Throws()
    {
        using var bucket = new ClockTokenBucket(2, 1, TimeSpan.FromSeconds(1), new FakeTimeProvider());
        Assert.Throws<ArgumentOutOfRangeException>(() => bucket.AttemptAcquire(3));
    }

    [Fact]
    public async Task AcquireAsync_CancelledToken_Throws()
    {
        using var bucket = new ClockTokenBucket(2, 1, TimeSpan.FromSeconds(1), new FakeTimeProvider());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await bucket.AcquireAsync(1, new CancellationToken(true)));
    }
}
