using static Steadfast.AI.Tests.Caching.CacheTestKit;

namespace Steadfast.AI.Tests.Caching;

public sealed class SteadfastCacheTests
{
    [Fact]
    public async Task GetOrCreateAsync_SecondLookup_IsL1HitWithoutFactory()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var runs = 0;

        var first = await cache.GetOrCreateEntryAsync("k", _ => Value(++runs));
        var second = await cache.GetOrCreateEntryAsync("k", _ => Value(++runs));

        Assert.Null(first.Level);
        Assert.Equal(CacheLevel.Memory, second.Level);
        Assert.Equal(1, second.Value);
        Assert.Equal(1, runs);
        var l1 = cache.GetStatistics().For(CacheLevel.Memory)!;
        Assert.Equal((1, 1, 1L), (l1.Hits, l1.Misses, l1.Entries!.Value));
    }

    [Fact]
    public async Task GetOrCreateAsync_AfterTimeToLive_RunsFactoryAgain()
    {
        var time = Time();
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { StaleGracePeriod = TimeSpan.Zero }, timeProvider: time);
        var options = new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10) };
        var runs = 0;
        await cache.GetOrCreateAsync("k", _ => Value(++runs), options);

        time.Advance(TimeSpan.FromSeconds(9));
        var before = await cache.GetOrCreateAsync("k", _ => Value(++runs), options);
        time.Advance(TimeSpan.FromSeconds(2));
        var after = await cache.GetOrCreateAsync("k", _ => Value(++runs), options);

        Assert.Equal(1, before);
        Assert.Equal(2, after);
    }

    [Fact]
    public async Task GetOrCreateEntryAsync_FactoryFailsWithinGrace_ServesStaleMarked()
    {
        var time = Time();
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { StaleGracePeriod = TimeSpan.FromMinutes(1) }, timeProvider: time);
        var options = new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10) };
        await cache.SetAsync("k", "old", options);

        time.Advance(TimeSpan.FromSeconds(30));
        var r = await cache.GetOrCreateEntryAsync<string>("k", _ => throw new InvalidOperationException("down"), options);

        Assert.Equal("old", r.Value);
        Assert.True(r.IsStale);
        Assert.Equal(1, cache.GetStatistics().StaleServed);
    }

    [Fact]
    public async Task GetOrCreateEntryAsync_FactoryFailsAfterGrace_Throws()
    {
        var time = Time();
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { StaleGracePeriod = TimeSpan.FromMinutes(1) }, timeProvider: time);
        var options = new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10) };
        await cache.SetAsync("k", "old", options);

        time.Advance(TimeSpan.FromMinutes(2));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetOrCreateEntryAsync<string>("k", _ => throw new InvalidOperationException("down"), options));
    }

    [Fact]
    public async Task GetOrCreateEntryAsync_FactorySucceedsAfterExpiry_GivesFreshValueNotStale()
    {
        var time = Time();
        await using var cache = new SteadfastCache(timeProvider: time);
        var options = new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10) };
        await cache.SetAsync("k", "old", options);

        time.Advance(TimeSpan.FromSeconds(30));
        var r = await cache.GetOrCreateEntryAsync("k", _ => Value("new"), options);

        Assert.Equal("new", r.Value);
        Assert.False(r.IsStale);
    }

    [Fact]
    public async Task GetOrCreateAsync_ConcurrentMisses_RunFactoryOnce()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;

        var lookups = Enumerable.Range(0, 10)
            .Select(_ => cache.GetOrCreateAsync("k", async _ => { Interlocked.Increment(ref runs); return await gate.Task; }).AsTask())
            .ToArray();
        gate.SetResult(42);
        var values = await Task.WhenAll(lookups);

        Assert.All(values, v => Assert.Equal(42, v));
        Assert.Equal(1, runs);
        Assert.Equal(1, cache.GetStatistics().FactoryRuns);
    }

    [Fact]
    public async Task GetOrCreateAsync_DifferentKeys_RunOwnFactories()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var a = await cache.GetOrCreateAsync("a", _ => Value(1));
        var b = await cache.GetOrCreateAsync("b", _ => Value(2));
        Assert.Equal((1, 2), (a, b));
    }

    [Fact]
    public async Task BumpNamespaceVersionAsync_OldEntriesMissOtherNamespacesHit()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var docs = new SteadfastCacheEntryOptions { Namespace = "docs" };
        var users = new SteadfastCacheEntryOptions { Namespace = "users" };
        await cache.SetAsync("k", "docs v0", docs);
        await cache.SetAsync("k", "users v0", users);

        await cache.BumpNamespaceVersionAsync("docs");

        Assert.Equal("docs v1", await cache.GetOrCreateAsync("k", _ => Value("docs v1"), docs));
        Assert.Equal("users v0", await cache.GetOrCreateAsync("k", _ => Value("users v1"), users));
    }

    [Fact]
    public async Task RemoveByTagAsync_TaggedEntriesMissUntaggedHit()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        await cache.SetAsync("tagged", "t0", new SteadfastCacheEntryOptions { Tags = ["model:gpt"] });
        await cache.SetAsync("other", "o0", new SteadfastCacheEntryOptions { Tags = ["model:claude"] });

        var removed = await cache.RemoveByTagAsync("model:gpt");

        Assert.Equal(1, removed);
        Assert.Equal("t1", await cache.GetOrCreateAsync("tagged", _ => Value("t1")));
        Assert.Equal("o0", await cache.GetOrCreateAsync("other", _ => Value("o1")));
    }

    [Fact]
    public async Task RemoveAsync_Key_IsMissAfterwards()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        await cache.SetAsync("k", "v0");
        await cache.RemoveAsync("k");
        Assert.Equal("v1", await cache.GetOrCreateAsync("k", _ => Value("v1")));
    }

    [Fact]
    public async Task GetOrCreateAsync_L1Hit_CompletesSynchronouslyInAnyNamespace()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var docs = new SteadfastCacheEntryOptions { Namespace = "docs" };
        await cache.SetAsync("k", "root");
        await cache.SetAsync("k", "docs", docs);

        var root = cache.GetOrCreateAsync("k", _ => Value("made"));
        var named = cache.GetOrCreateEntryAsync("k", _ => Value("made"), docs);

        Assert.True(root.IsCompletedSuccessfully);
        Assert.True(named.IsCompletedSuccessfully);
        var (r, n) = (await root, await named);
        Assert.Equal(("root", "docs", CacheLevel.Memory), (r, n.Value, n.Level));
        Assert.Equal(2, cache.GetStatistics().For(CacheLevel.Memory)!.Hits);
    }

    [Theory]
    [InlineData(9_999, true)]
    [InlineData(10_000, false)]
    public async Task GetOrCreateEntryAsync_AtTheEdgeOfTimeToLive_ExpiryIsExactToTheMillisecond(int elapsedMs, bool servedFromMemory)
    {
        // The hit path's freshness check is conservative (it leaves an entry's last milliseconds to the full way); the answer
        // at the edge must still be exact: fresh one millisecond before expiry, made again at it.
        var time = Time();
        await using var cache = new SteadfastCache(new SteadfastCacheOptions { StaleGracePeriod = TimeSpan.Zero }, timeProvider: time);
        var options = new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromSeconds(10) };
        await cache.SetAsync("k", "old", options);

        time.Advance(TimeSpan.FromMilliseconds(elapsedMs));
        var r = await cache.GetOrCreateEntryAsync("k", _ => Value("new"), options);

        Assert.Equal(servedFromMemory ? ("old", CacheLevel.Memory) : ("new", (CacheLevel?)null), (r.Value, r.Level));
        Assert.False(r.IsStale);
    }

    [Fact]
    public async Task GetOrCreateAsync_L1HitOnSystemClock_CompletesSynchronously()
    {
        await using var cache = new SteadfastCache();
        await cache.SetAsync("k", "v", new SteadfastCacheEntryOptions { TimeToLive = TimeSpan.FromHours(1) });

        var hit = cache.GetOrCreateAsync("k", _ => Value("made"));

        Assert.True(hit.IsCompletedSuccessfully);
        Assert.Equal("v", await hit);
    }

    [Fact]
    public async Task GetOrCreateAsync_L1EntryAfterBump_IsNotServedFromMemory()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var docs = new SteadfastCacheEntryOptions { Namespace = "docs" };
        await cache.SetAsync("k", "v0", docs);
        await cache.BumpNamespaceVersionAsync("docs");

        var lookup = await cache.GetOrCreateEntryAsync("k", _ => Value("v1"), docs);

        Assert.Equal("v1", lookup.Value);
        Assert.Null(lookup.Level);
        Assert.Equal(0, cache.GetStatistics().For(CacheLevel.Memory)!.Hits);
    }

    [Fact]
    public async Task GetOrCreateAsync_KeyLookingNamespacedInEmptyNamespace_IsItsOwnEntry()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        await cache.SetAsync("k", "in docs", new SteadfastCacheEntryOptions { Namespace = "docs" });

        // The empty namespace keys L1 by the caller's string, other namespaces by (namespace, key): they never meet.
        Assert.Equal("root", await cache.GetOrCreateAsync("docs\u001fk", _ => Value("root")));
        Assert.Equal("in docs", await cache.GetOrCreateAsync("k", _ => Value("other"), new SteadfastCacheEntryOptions { Namespace = "docs" }));
    }

    [Fact]
    public async Task RemoveAsync_KeyInNamespace_LeavesSameKeyElsewhere()
    {
        await using var cache = new SteadfastCache(timeProvider: Time());
        var docs = new SteadfastCacheEntryOptions { Namespace = "docs" };
        await cache.SetAsync("k", "root");
        await cache.SetAsync("k", "docs", docs);

        await cache.RemoveAsync("k", "docs");

        Assert.Equal("docs again", await cache.GetOrCreateAsync("k", _ => Value("docs again"), docs));
        Assert.Equal("root", await cache.GetOrCreateAsync("k", _ => Value("root again")));
    }

    [Fact]
    public void Validate_NegativeGrace_NamesProperty()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SteadfastCacheOptions { StaleGracePeriod = TimeSpan.FromSeconds(-1) }.Validate());
        Assert.Contains("SteadfastCacheOptions.StaleGracePeriod", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass() => new SteadfastCacheOptions().Validate();
}
