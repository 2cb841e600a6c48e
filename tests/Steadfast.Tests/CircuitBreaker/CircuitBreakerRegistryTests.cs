using Microsoft.Extensions.Time.Testing;
using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;

namespace Steadfast.Tests.CircuitBreaker;

public class CircuitBreakerRegistryTests
{
    private static readonly CircuitBreakerOptions Quick = new() { FailureThreshold = 1, Cooldown = TimeSpan.FromSeconds(30), HalfOpenMaxCalls = 1, SuccessThreshold = 1 };
    private readonly FakeTimeProvider _time = NewTime();

    [Fact]
    public void GetOrCreate_SameName_ReturnsSameCircuit()
    {
        var registry = new CircuitBreakerRegistry(timeProvider: _time);
        var a = registry.GetOrCreate("a", Quick);
        Assert.Same(a, registry.GetOrCreate("a"));
        Assert.NotSame(a, registry.GetOrCreate("A"));
        Assert.Equal(1, a.Options.FailureThreshold);
    }

    [Fact]
    public void GetOrCreate_WithoutOptions_UsesRegistryDefaults()
    {
        var registry = new CircuitBreakerRegistry(new CircuitBreakerOptions { FailureThreshold = 7 });
        Assert.Equal(7, registry.GetOrCreate("x").Options.FailureThreshold);
    }

    [Fact]
    public async Task GetOrCreate_Concurrent_CreatesOneCircuit()
    {
        var registry = new CircuitBreakerRegistry();
        var circuits = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => registry.GetOrCreate("shared"))));
        Assert.All(circuits, c => Assert.Same(circuits[0], c));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void TryGet_FindsOnlyExistingCircuits()
    {
        var registry = new CircuitBreakerRegistry();
        Assert.False(registry.TryGet("a", out _));
        var a = registry.GetOrCreate("a");
        Assert.True(registry.TryGet("a", out var found));
        Assert.Same(a, found);
    }

    [Fact]
    public async Task GetAllStatus_And_ResetAll_CoverEveryCircuit()
    {
        var registry = new CircuitBreakerRegistry(Quick, timeProvider: _time);
        await FailTimes(registry.GetOrCreate("b"), 1);
        await SucceedTimes(registry.GetOrCreate("a"), 1);
        var all = registry.GetAllStatus();
        Assert.Equal(["a", "b"], all.Select(s => s.Name));
        Assert.Equal([CircuitState.Closed, CircuitState.Open], all.Select(s => s.State));
        registry.ResetAll();
        Assert.All(registry.GetAllStatus(), s => Assert.Equal(CircuitState.Closed, s.State));
    }

    [Fact]
    public void Shared_IsOneInstance() => Assert.Same(CircuitBreakerRegistry.Shared, CircuitBreakerRegistry.Shared);

    [Fact]
    public async Task Transition_WithStore_SavesSnapshot()
    {
        var store = new InMemoryCircuitStateStore();
        var registry = new CircuitBreakerRegistry(Quick, store, _time);
        await FailTimes(registry.GetOrCreate("svc"), 1);
        await registry.FlushAsync();
        var saved = await store.LoadAsync("svc");
        Assert.Equal(CircuitState.Open, saved!.State);

        registry.GetOrCreate("svc").Reset();
        await registry.FlushAsync();
        Assert.Equal(CircuitState.Closed, (await store.LoadAsync("svc"))!.State);
    }

    [Fact]
    public async Task RestoreAsync_AfterRestart_OpenCircuitStaysOpenForRestOfCooldown()
    {
        var store = new InMemoryCircuitStateStore();
        await using (var before = new CircuitBreakerRegistry(Quick, store, _time))
        {
            await FailTimes(before.GetOrCreate("svc"), 1);
        }

        _time.Advance(TimeSpan.FromSeconds(20));
        var after = new CircuitBreakerRegistry(Quick, store, _time);
        Assert.Equal(1, await after.RestoreAsync());
        var cb = after.GetOrCreate("svc");
        Assert.Equal(CircuitState.Open, cb.State);
        var ex = await Assert.ThrowsAsync<CircuitOpenException>(() => cb.ExecuteAsync(Ok).AsTask());
        Assert.Equal(TimeSpan.FromSeconds(10), ex.RetryAfter);
        _time.Advance(TimeSpan.FromSeconds(10));
        await SucceedTimes(cb, 1);
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    [Fact]
    public async Task RestoreAsync_ExistingCircuit_AppliedAtOnce()
    {
        var store = new InMemoryCircuitStateStore();
        var registry = new CircuitBreakerRegistry(Quick, store, _time);
        var cb = registry.GetOrCreate("svc");
        await store.SaveAsync(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Isolated });
        await registry.RestoreAsync();
        Assert.Equal(CircuitState.Isolated, cb.State);
    }

    [Fact]
    public async Task RestoreAsync_WithoutStore_ReturnsZero() => Assert.Equal(0, await new CircuitBreakerRegistry().RestoreAsync());

    [Fact]
    public async Task RestoreAsync_StoreFails_StartsClosed()
    {
        var registry = new CircuitBreakerRegistry(Quick, new BrokenStore(), _time);
        Assert.Equal(0, await registry.RestoreAsync());
        Assert.Equal(CircuitState.Closed, registry.GetOrCreate("svc").State);
    }

    [Fact]
    public async Task Transition_StoreFails_CallsKeepWorking()
    {
        var registry = new CircuitBreakerRegistry(Quick, new BrokenStore(), _time);
        var cb = registry.GetOrCreate("svc");
        await FailTimes(cb, 1);
        await registry.FlushAsync();
        Assert.Equal(CircuitState.Open, cb.State);
        _time.Advance(TimeSpan.FromSeconds(30));
        await SucceedTimes(cb, 1);
        await registry.FlushAsync();
        Assert.Equal(CircuitState.Closed, cb.State);
    }

    // Simulates an unreachable store (a fake of a failing service, not of our own store).
    private sealed class BrokenStore : ICircuitStateStore
    {
        public ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => throw new IOException("disk full");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TryAcquireAsync_StoreWithoutProbeGate_HalfOpenAdmitsByTheLocalLimitAlone()
    {
        var time = NewTime();
        await using var registry = new CircuitBreakerRegistry(
            new CircuitBreakerOptions { FailureThreshold = 1, HalfOpenMaxCalls = 2, SuccessThreshold = 2, Cooldown = TimeSpan.FromSeconds(10) },
            new InMemoryCircuitStateStore(), time);
        var breaker = registry.GetOrCreate("svc");
        breaker.RecordFailure(new TimeoutException());
        time.Advance(TimeSpan.FromSeconds(11));

        Assert.Null(await breaker.TryAcquireAsync());
        Assert.Null(await breaker.TryAcquireAsync());
        var refused = await breaker.TryAcquireAsync();

        Assert.NotNull(refused);
        Assert.Equal(CircuitState.HalfOpen, refused.State);
    }
}
