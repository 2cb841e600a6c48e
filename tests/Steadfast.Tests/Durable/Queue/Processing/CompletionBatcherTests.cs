using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Durable.Queue.Processing;

public sealed class CompletionBatcherTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Complete_WhileAWriteCommits_LaterCompletionsShareTheNextWriteAndStayInFlightUntilCommitted()
    {
        var inner = new InMemoryQueueStore();
        for (var i = 0; i < 3; i++)
        {
            await inner.TryEnqueueAsync("1"u8.ToArray(), 0, _time.GetUtcNow(), 10, CancellationToken.None);
        }

        var leases = await inner.TryClaimAsync(_time.GetUtcNow(), TimeSpan.FromSeconds(30), 3, 3, CancellationToken.None);
        var store = GatedQueueStore.Create(inner);
        var inFlight = new InFlightLeases();
        foreach (var lease in leases)
        {
            inFlight.Track(lease);
        }

        var batcher = new CompletionBatcher(
            new QueueServices(store, new DurableQueueOptions(), _time, NullLogger.Instance, IDurableExecutor.For(null)), inFlight);

        batcher.Complete(leases[0]);
        await GatedQueueStore.Of(store).FirstWriteStarted;
        batcher.Complete(leases[1]);
        batcher.Complete(leases[2]);
        var drained = batcher.DrainAsync();

        Assert.False(drained.IsCompleted);
        Assert.Equal(3, inFlight.Current.Count()); // still renewed: nothing committed yet
        GatedQueueStore.Of(store).OpenGate();
        await drained;

        Assert.Equal([1, 2], GatedQueueStore.Of(store).BatchSizes);
        Assert.Empty(inFlight.Current);
        Assert.Equal(3, (await inner.GetStatsAsync(CancellationToken.None)).Completed);
    }

    /// <summary>Forwards every call to a real store, but holds the first <see cref="IQueueStore.CompleteManyAsync"/> until opened.</summary>
    public class GatedQueueStore : DispatchProxy
    {
        private readonly TaskCompletionSource _firstWriteStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private IQueueStore _inner = null!;

        public List<int> BatchSizes { get; } = [];

        public Task FirstWriteStarted => _firstWriteStarted.Task;

        public static IQueueStore Create(IQueueStore inner)
        {
            var proxy = DispatchProxy.Create<IQueueStore, GatedQueueStore>();
            ((GatedQueueStore)(object)proxy)._inner = inner;
            return proxy;
        }

        public static GatedQueueStore Of(IQueueStore proxy) => (GatedQueueStore)(object)proxy;

        public void OpenGate() => _gate.TrySetResult();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IQueueStore.CompleteManyAsync))
            {
                return new ValueTask<IReadOnlyList<bool>>(CompleteManyAsync((IReadOnlyList<QueueLease>)args![0]!));
            }

            return targetMethod.Invoke(_inner, args);
        }

        private async Task<IReadOnlyList<bool>> CompleteManyAsync(IReadOnlyList<QueueLease> leases)
        {
            lock (BatchSizes)
            {
                BatchSizes.Add(leases.Count);
            }

            _firstWriteStarted.TrySetResult();
            await _gate.Task;
            return await _inner.CompleteManyAsync(leases, CancellationToken.None);
        }
    }
}
