using Steadfast.Caching;
using static Steadfast.AI.Tests.Caching.CacheTestKit;

namespace Steadfast.AI.Tests.Caching;

/// <summary>L2 on a real SQLite file and L3 on the real redis-server of scripts/test-services.sh.</summary>
public sealed class SteadfastCacheLevelTests
{
    [Fact]
    public async Task GetOrCreateEntryAsync_NewProcessSameFile_HitsDiskThenPromotesToMemory()
    {
        using var dir = new TempDirectory();
        var time = Time();
        await using (var store = new SqliteCacheStore(dir.File("cache.db")))
        await using (var first = new SteadfastCache(disk: store, timeProvider: time))
        {
            await first.SetAsync("k", "from disk");
        }

        await using var store2 = new SqliteCacheStore(dir.File("cache.db"));
        await using var second = new SteadfastCache(disk: store2, timeProvider: time);
        var hit = await second.GetOrCreateEntryAsync("k", _ => Value("factory"));
        var again = await second.GetOrCreateEntryAsync("k", _ => Value("factory"));

        Assert.Equal(("from disk", CacheLevel.Disk), (hit.Value, hit.Level!.Value));
        Assert.Equal(CacheLevel.Memory, again.Level);
        var stats = await second.GetStatisticsAsync();
        Assert.Equal(1, stats.For(CacheLevel.Disk)!.Hits);
        Assert.Equal(1, stats.For(CacheLevel.Disk)!.Entries);
        Assert.True(stats.For(CacheLevel.Disk)!.SizeBytes > 0);
    }

    [Fact]
    public async Task PurgeNamespaceAsync_DeletesItsDiskEntriesOnly()
    {
        using var dir = new TempDirectory();
        await using var store = new SqliteCacheStore(dir.File("cache.db"));
        await using var cache = new SteadfastCache(disk: store, timeProvider: Time());
        await cache.SetAsync("a", "1", new SteadfastCacheEntryOptions { Namespace = "docs" });
        await cache.SetAsync("b", "2", new SteadfastCacheEntryOptions { Namespace = "docs" });
        await cache.SetAsync("c", "3", new SteadfastCacheEntryOptions { Namespace = "users" });

        var removed = await cache.PurgeNamespaceAsync("docs");

        Assert.Equal(4, removed);   // two from L1, two from L2
        Assert.Equal(1, (await store.GetSizeAsync()).Entries);
        Assert.Equal("3", await cache.GetOrCreateAsync("c", _ => Value("x"), new SteadfastCacheEntryOptions { Namespace = "users" }));
    }

    [Fact]
    public async Task BumpNamespaceVersionAsync_PersistsInDiskForNextProcess()
    {
        using var dir = new TempDirectory();
        var docs = new SteadfastCacheEntryOptions { Namespace = "docs" };
        await using (var store = new SqliteCacheStore(dir.File("cache.db")))
        await using (var first = new SteadfastCache(disk: store, timeProvider: Time()))
        {
            await first.SetAsync("k", "v0", docs);
            await first.BumpNamespaceVersionAsync("docs");
        }

        await using var store2 = new SqliteCacheStore(dir.File("cache.db"));
        await using var second = new SteadfastCache(disk: store2, timeProvider: Time());

        Assert.Equal("v1", await second.GetOrCreateAsync("k", _ => Value("v1"), docs));
    }

    [Fact]
    public async Task RemoveExpiredAsync_PastGrace_CountsEvictions()
    {
        using var dir = new TempDirectory();
        var time = Time();
        await using var store = new SqliteCacheStore(dir.File("cache.db"));
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { StaleGracePeriod = TimeSpan.FromSeconds(5) }, disk: store, timeProvider: time);
        await cache.SetAsync("old", "1", new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10) });
        await cache.SetAsync("young", "2", new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromMinutes(10) });

        time.Advance(TimeSpan.FromSeconds(20));
        var removed = await cache.RemoveExpiredAsync();

        Assert.Equal(1, removed);
        Assert.Equal(1, cache.GetStatistics().For(CacheLevel.Disk)!.Evictions);
    }

    [Fact]
    public async Task GetOrCreateAsync_ForeignDiskFile_GoesOnWithoutTheLevelAndCountsError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notes.txt");
        await File.WriteAllTextAsync(path, "not a database, someone's notes");
        await using var store = new SqliteCacheStore(path);
        await using var cache = new SteadfastCache(disk: store, timeProvider: Time());

        var value = await cache.GetOrCreateAsync("k", _ => Value("made"));

        Assert.Equal("made", value);
        Assert.True(cache.GetStatistics().For(CacheLevel.Disk)!.Errors > 0);
        Assert.Equal("not a database, someone's notes", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task GetOrCreateEntryAsync_OtherProcessWroteRedis_HitsDistributedAndPromotes()
    {
        using var dir = new TempDirectory();
        var instance = "steadfast-ai-tests:" + Guid.NewGuid().ToString("N") + ":";
        var time = Time();
        using (var redis = Redis(instance))
        await using (var writer = new SteadfastCache(distributed: redis, timeProvider: time))
        {
            await writer.SetAsync("k", "shared", new SteadfastCacheEntryOptions { Tags = ["t"] });
        }

        using var redis2 = Redis(instance);
        await using var store = new SqliteCacheStore(dir.File("cache.db"));
        await using var reader = new SteadfastCache(disk: store, distributed: redis2, timeProvider: time);
        var hit = await reader.GetOrCreateEntryAsync("k", _ => Value("factory"));
        var again = await reader.GetOrCreateEntryAsync("k", _ => Value("factory"));

        Assert.Equal(("shared", CacheLevel.Distributed), (hit.Value, hit.Level!.Value));
        Assert.Equal(CacheLevel.Memory, again.Level);
        Assert.Equal(1, (await store.GetSizeAsync()).Entries);   // promoted to L2 too
    }

    [Fact]
    public async Task GetOrCreateAsync_RedisMissingKey_RunsFactoryAndWritesRedis()
    {
        var instance = "steadfast-ai-tests:" + Guid.NewGuid().ToString("N") + ":";
        using var redis = Redis(instance);
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { UseMemory = false }, distributed: redis, timeProvider: Time());

        var first = await cache.GetOrCreateEntryAsync("k", _ => Value(7));
        var second = await cache.GetOrCreateEntryAsync("k", _ => Value(8));

        Assert.Null(first.Level);
        Assert.Equal((7, CacheLevel.Distributed), (second.Value, second.Level!.Value));
        Assert.Null(cache.GetStatistics().For(CacheLevel.Memory));
    }
}
