using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Steadfast.Caching;

namespace Steadfast.Benchmarks.AI;

/// <summary>
/// A cache hit per level beside HybridCache alone (its L1 hit). Goal: SteadfastCache's L1 hit no slower than HybridCache's L1
/// hit by more than 10 %. L2 is a real SQLite file; L3 (Redis) is left out of the short run (network-bound).
/// </summary>
[MemoryDiagnoser]
public class CacheHitBenchmarks
{
    private static readonly Func<CancellationToken, ValueTask<string>> Factory = _ => ValueTask.FromResult("value");
    private ServiceProvider _services = null!;
    private HybridCache _hybrid = null!;
    private SteadfastCache _memory = null!;
    private SteadfastCache _disk = null!;
    private SqliteCacheStore _store = null!;
    private string _dir = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var services = new ServiceCollection();
        services.AddHybridCache();
        _services = services.BuildServiceProvider();
        _hybrid = _services.GetRequiredService<HybridCache>();
        await _hybrid.GetOrCreateAsync("k", Factory);

        _memory = new SteadfastCache();
        await _memory.GetOrCreateAsync("k", Factory);

        _dir = Path.Combine(Path.GetTempPath(), "steadfast-bench-cache-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteCacheStore(Path.Combine(_dir, "cache.db"));
        _disk = new SteadfastCache(new SteadfastCacheOptions { UseMemory = false }, disk: _store);
        await _disk.GetOrCreateAsync("k", Factory);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _memory.DisposeAsync();
        await _disk.DisposeAsync();
        await _store.DisposeAsync();
        await _services.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public ValueTask<string> HybridCacheL1Hit() => _hybrid.GetOrCreateAsync("k", Factory);

    [Benchmark]
    public ValueTask<string> SteadfastL1Hit() => _memory.GetOrCreateAsync("k", Factory);

    [Benchmark]
    public ValueTask<string> SteadfastL2HitSqlite() => _disk.GetOrCreateAsync("k", Factory);
}
