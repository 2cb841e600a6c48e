using static Steadfast.Tests.CircuitBreaker.CircuitBreakerTestHelpers;

namespace Steadfast.Tests.CircuitBreaker.Persistence;

/// <summary>The registry applies the snapshots a shared store reports (ICircuitStateChangeSource), and only those that change its state.</summary>
public sealed class CircuitStateChangeSourceTests
{
    private static readonly CircuitBreakerOptions Quick = new() { FailureThreshold = 1, Cooldown = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task RemoteOpen_ExistingClosedCircuit_OpensWithoutSavingItBack()
    {
        var time = NewTime();
        var store = new FeedStore();
        await using var registry = new CircuitBreakerRegistry(Quick, store, time);
        var breaker = registry.GetOrCreate("svc");

        store.Raise(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Open, OpenedAt = time.GetUtcNow(), OpenUntil = time.GetUtcNow().AddSeconds(30), ConsecutiveOpenings = 1 });
        await registry.FlushAsync();

        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.Equal(0, store.Saves);
    }

    [Fact]
    public async Task RemoteHalfOpen_IsIgnored_ProbingStaysLocal()
    {
        var store = new FeedStore();
        await using var registry = new CircuitBreakerRegistry(Quick, store, NewTime());
        var breaker = registry.GetOrCreate("svc");

        store.Raise(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.HalfOpen });

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task RemoteClosed_LocalOpen_Closes()
    {
        var store = new FeedStore();
        await using var registry = new CircuitBreakerRegistry(Quick, store, NewTime());
        var breaker = registry.GetOrCreate("svc");
        breaker.RecordFailure(new TimeoutException());
        await registry.FlushAsync();
        Assert.Equal(1, store.Saves); // a local transition is saved

        store.Raise(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Closed });

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task Dispose_StopsFollowingTheStore()
    {
        var store = new FeedStore();
        var registry = new CircuitBreakerRegistry(Quick, store, NewTime());
        var breaker = registry.GetOrCreate("svc");
        await registry.DisposeAsync();

        store.Raise(new CircuitBreakerSnapshot { Name = "svc", State = CircuitState.Open });

        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    private sealed class FeedStore : ICircuitStateStore, ICircuitStateChangeSource
    {
        private readonly InMemoryCircuitStateStore _inner = new();
        private Action<CircuitBreakerSnapshot>? _handler;

        public int Saves { get; private set; }

        public void Raise(CircuitBreakerSnapshot snapshot) => _handler?.Invoke(snapshot);

        public IDisposable SubscribeCircuitChanges(Action<CircuitBreakerSnapshot> onChange)
        {
            _handler = onChange;
            return new Unsubscribe(() => _handler = null);
        }

        public ValueTask SaveAsync(CircuitBreakerSnapshot snapshot, CancellationToken cancellationToken = default)
        {
            Saves++;
            return _inner.SaveAsync(snapshot, cancellationToken);
        }

        public ValueTask<CircuitBreakerSnapshot?> LoadAsync(string name, CancellationToken cancellationToken = default) => _inner.LoadAsync(name, cancellationToken);

        public ValueTask<IReadOnlyList<CircuitBreakerSnapshot>> LoadAllAsync(CancellationToken cancellationToken = default) => _inner.LoadAllAsync(cancellationToken);

        public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => _inner.DeleteAsync(name, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
