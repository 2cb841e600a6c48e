namespace Steadfast.Testing.Contracts;

/// <summary>
/// The behaviour every <see cref="ICircuitStateStore"/> must have. A store's test class derives from this and
/// supplies only <see cref="CreateStoreAsync"/>; a store that persists should also pass <see cref="SupportsReopen"/>.
/// </summary>
public abstract class CircuitStateStoreContractTests : IAsyncLifetime
{
    private readonly List<object> _created = [];

    /// <summary>Whether a second store created by <see cref="CreateStoreAsync"/> sees the first one's data (true for durable stores).</summary>
    protected virtual bool SupportsReopen => false;

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _created)
        {
            switch (store)
            {
                case IAsyncDisposable d:
                    await d.DisposeAsync();
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }
    }

    /// <summary>Creates a store. Called again within one test to check durability when <see cref="SupportsReopen"/> is true.</summary>
    protected abstract Task<ICircuitStateStore> CreateStoreAsync();

    private async Task<ICircuitStateStore> NewStoreAsync()
    {
        var store = await CreateStoreAsync();
        _created.Add(store);
        return store;
    }

    private static CircuitBreakerSnapshot Sample(string name = "svc") => new()
    {
        Name = name,
        State = CircuitState.Open,
        ConsecutiveFailures = 5,
        OpenedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        OpenUntil = new DateTimeOffset(2026, 1, 2, 3, 4, 35, TimeSpan.Zero),
        ConsecutiveOpenings = 2,
        LastFailureAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        LastError = "TimeoutException: no answer",
        SavedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
    };

    [Fact]
    public async Task LoadAsync_Unknown_ReturnsNull()
    {
        var store = await NewStoreAsync();
        Assert.Null(await store.LoadAsync("nope"));
    }

    [Fact]
    public async Task SaveAsync_ThenLoad_ReturnsEqualSnapshot()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(Sample());
        Assert.Equal(Sample(), await store.LoadAsync("svc"));
    }

    [Fact]
    public async Task SaveAsync_NullableFieldsEmpty_RoundTrip()
    {
        var store = await NewStoreAsync();
        var closed = new CircuitBreakerSnapshot { Name = "closed", State = CircuitState.Closed };
        await store.SaveAsync(closed);
        Assert.Equal(closed, await store.LoadAsync("closed"));
    }

    [Fact]
    public async Task SaveAsync_SameName_Replaces()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(Sample());
        var closed = Sample() with { State = CircuitState.Closed, OpenedAt = null, OpenUntil = null, ConsecutiveFailures = 0 };
        await store.SaveAsync(closed);
        Assert.Equal(closed, await store.LoadAsync("svc"));
        Assert.Single(await store.LoadAllAsync());
    }

    [Fact]
    public async Task LoadAsync_NamesAreCaseSensitive()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(Sample("svc"));
        Assert.Null(await store.LoadAsync("SVC"));
    }

    [Fact]
    public async Task LoadAllAsync_ReturnsEverySnapshot()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(Sample("a"));
        await store.SaveAsync(Sample("b"));
        var all = await store.LoadAllAsync();
        Assert.Equal(["a", "b"], all.Select(s => s.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeleteAsync_RemovesOnlyThatCircuit()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(Sample("a"));
        await store.SaveAsync(Sample("b"));
        Assert.True(await store.DeleteAsync("a"));
        Assert.False(await store.DeleteAsync("a"));
        Assert.Null(await store.LoadAsync("a"));
        Assert.NotNull(await store.LoadAsync("b"));
    }

    [Fact]
    public async Task SaveAsync_CancelledToken_Throws()
    {
        var store = await NewStoreAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync(Sample(), cts.Token).AsTask());
    }

    [Fact]
    public async Task SaveAsync_Concurrent_KeepsEveryCircuit()
    {
        var store = await NewStoreAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.SaveAsync(Sample($"c{i}")).AsTask()));
        Assert.Equal(20, (await store.LoadAllAsync()).Count);
    }

    [Fact]
    public async Task Reopen_DurableStore_SeesSavedSnapshots()
    {
        if (!SupportsReopen)
        {
            return;
        }

        var first = await NewStoreAsync();
        await first.SaveAsync(Sample());
        var second = await NewStoreAsync();
        Assert.Equal(Sample(), await second.LoadAsync("svc"));
    }

    [Fact]
    public async Task Registry_WithThisStore_RestoresOpenCircuitAfterRestart()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new CircuitBreakerOptions { FailureThreshold = 1, Cooldown = TimeSpan.FromSeconds(30) };
        var store = await NewStoreAsync();
        await using (var before = new CircuitBreakerRegistry(options, store, time))
        {
            before.GetOrCreate("svc").RecordFailure(new TimeoutException());
        }

        var after = new CircuitBreakerRegistry(options, SupportsReopen ? await NewStoreAsync() : store, time);
        await after.RestoreAsync();
        Assert.Equal(CircuitState.Open, after.GetOrCreate("svc").State);
    }
}
