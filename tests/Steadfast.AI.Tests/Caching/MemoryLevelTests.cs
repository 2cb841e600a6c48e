using Microsoft.Extensions.Time.Testing;
using static Steadfast.AI.Tests.Caching.CacheTestKit;

namespace Steadfast.AI.Tests.Caching;

/// <summary>L1's bound: the count never stays past <c>MaxMemoryEntries</c>, and what goes is what was used least recently.</summary>
public sealed class MemoryLevelTests
{
    /// <summary>A cache of 10 L1 entries holding k0 … k9, stored a millisecond apart (k0 the least recently used).</summary>
    private static async Task<SteadfastCache> FullAsync(FakeTimeProvider time)
    {
        var cache = new SteadfastCache(new SteadfastCacheOptions { MaxMemoryEntries = 10 }, timeProvider: time);
        for (var i = 0; i < 10; i++)
        {
            await cache.SetAsync($"k{i}", i);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        return cache;
    }

    [Fact]
    public async Task SetAsync_PastCapacity_EvictsLeastRecentlyUsedAndKeepsRecentlyRead()
    {
        var time = Time();
        await using var cache = await FullAsync(time);

        await cache.GetOrCreateAsync("k0", _ => Value(-1)); // k0, stored first, is now the most recently used
        time.Advance(TimeSpan.FromMilliseconds(1));
        await cache.SetAsync("k10", 10);                  // 11 > 10: down to 9, the two least recently used go

        var l1 = cache.GetStatistics().For(CacheLevel.Memory)!;
        Assert.Equal((9L, 2L), (l1.Entries!.Value, l1.Evictions));
        Assert.Equal(CacheLevel.Memory, (await cache.GetOrCreateEntryAsync("k0", _ => Value(-1))).Level);
        Assert.Equal(CacheLevel.Memory, (await cache.GetOrCreateEntryAsync("k3", _ => Value(-1))).Level);
        Assert.Equal(CacheLevel.Memory, (await cache.GetOrCreateEntryAsync("k10", _ => Value(-1))).Level);
        Assert.Null((await cache.GetOrCreateEntryAsync("k1", _ => Value(-1))).Level);
    }

    [Fact]
    public async Task SetAsync_AtCapacity_EvictsNothing()
    {
        await using var cache = await FullAsync(Time());

        var l1 = cache.GetStatistics().For(CacheLevel.Memory)!;
        Assert.Equal((10L, 0L), (l1.Entries!.Value, l1.Evictions));
    }

    [Fact]
    public async Task SetAsync_SameKeyAgainAndInOtherNamespace_CountsEachEntryOnce()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var docs = new SteadfastCacheEntryOptions { Namespace = "docs" };

        await cache.SetAsync("k", 1);
        await cache.SetAsync("k", 2);
        await cache.SetAsync("k", 3, docs);
        await cache.SetAsync("k", 4, docs);
        var afterSets = cache.GetStatistics().For(CacheLevel.Memory)!.Entries;
        await cache.RemoveAsync("k");
        var afterRemove = cache.GetStatistics().For(CacheLevel.Memory)!.Entries;
        await cache.PurgeNamespaceAsync("docs");

        Assert.Equal((2L, 1L, 0L), (afterSets!.Value, afterRemove!.Value, cache.GetStatistics().For(CacheLevel.Memory)!.Entries!.Value));
    }

    [Fact]
    public async Task SetAsync_ManyWritersPastCapacity_CountStaysTrueAndBounded()
    {
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { MaxMemoryEntries = 100 }, timeProvider: Time());

        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                await cache.SetAsync($"w{w}-{i % 150}", i);
            }
        })));

        var l1 = cache.GetStatistics().For(CacheLevel.Memory)!;
        var held = 0;
        foreach (var key in Enumerable.Range(0, 4).SelectMany(w => Enumerable.Range(0, 150).Select(i => $"w{w}-{i}")))
        {
            try
            {
                await cache.GetOrCreateAsync<int>(key, _ => throw new KeyNotFoundException()); // a miss stores nothing
                held++;
            }
            catch (KeyNotFoundException)
            {
            }
        }

        Assert.InRange(l1.Entries!.Value, 1, 100);
        Assert.Equal(l1.Entries.Value, held);
        Assert.True(l1.Evictions > 0);
    }
}
