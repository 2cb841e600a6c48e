using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Learning.Storage;

/// <summary>The analyzer applies the blacklist changes a shared store reports (IBlacklistChangeSource).</summary>
public sealed class BlacklistChangeSourceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RemoteEntry_InForceAtOnce_AndRemovalLiftsIt()
    {
        var store = new FeedStore();
        await using var analyzer = new FailureAnalyzer(store, timeProvider: _time);

        store.Raise(new BlacklistChange("s", "op", new BlacklistEntry { StrategyName = "s", Operation = "op", Reason = "dead elsewhere", AddedAt = _time.GetUtcNow(), IsAutomatic = true, ExpiresAt = _time.GetUtcNow().AddHours(1) }));
        Assert.True(analyzer.IsStrategyBlacklisted("s", "op"));
        Assert.False(analyzer.IsStrategyBlacklisted("other", "op"));

        store.Raise(new BlacklistChange("s", "op", null));
        Assert.False(analyzer.IsStrategyBlacklisted("s", "op"));
    }

    [Fact]
    public async Task Dispose_StopsFollowingTheStore()
    {
        var store = new FeedStore();
        var analyzer = new FailureAnalyzer(store, timeProvider: _time);
        await analyzer.DisposeAsync();

        Assert.False(store.Subscribed);
    }

    private sealed class FeedStore : DelegatingFailureStore, IBlacklistChangeSource
    {
        private Action<BlacklistChange>? _handler;

        public FeedStore()
            : base(new InMemoryFailureStore())
        {
        }

        public bool Subscribed => _handler is not null;

        public void Raise(BlacklistChange change) => _handler?.Invoke(change);

        public IDisposable SubscribeBlacklistChanges(Action<BlacklistChange> onChange)
        {
            _handler = onChange;
            return new Unsubscribe(() => _handler = null);
        }
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
