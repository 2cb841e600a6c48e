using System.Collections.Concurrent;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Durable.Queue;

public sealed class DurableQueueTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    // Reports each timer the queue starts (the renewal loop's waits), so a test advances time only once the queue waits.
    private readonly TestClock _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    public sealed record Job(int Number, bool Poison = false);

    public static TheoryData<string> Stores => ["memory", "sqlite"];

    private IQueueStore CreateStore(string kind)
        => kind == "memory" ? new InMemoryQueueStore() : new SqliteQueueStore(_temp.File("queue.db"));

    private DurableQueue<Job> CreateQueue(IQueueStore store, int maxSize = 1000, int maxAttempts = 3)
        => new(store, new DurableQueueOptions { MaxSize = maxSize, MaxDeliveryAttempts = maxAttempts, LeaseDuration = Lease }, timeProvider: _time);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ProcessAsync_OneWorker_HighestPriorityFirstFifoWithin(string kind)
    {
        var queue = CreateQueue(CreateStore(kind));
        await queue.EnqueueAsync(new Job(1), priority: 0);
        await queue.EnqueueAsync(new Job(2), priority: 9);
        await queue.EnqueueAsync(new Job(3), priority: 0);
        await queue.EnqueueAsync(new Job(4), priority: 9);
        await queue.EnqueueAsync(new Job(5), priority: 5);
        var order = new List<int>();

        await queue.ProcessAsync((job, ct) =>
        {
            order.Add(job.Number);
            return Task.CompletedTask;
        }, workerCount: 1, stopWhenEmpty: true);

        Assert.Equal([2, 4, 5, 1, 3], order);
        Assert.Equal(new QueueStats(0, 0, 5, 0), await queue.GetStatsAsync());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task EnqueueAsync_AtMaxSize_ThrowsQueueFull(string kind)
    {
        var queue = CreateQueue(CreateStore(kind), maxSize: 2);
        await queue.EnqueueAsync(new Job(1));
        await queue.EnqueueAsync(new Job(2));

        var ex = await Assert.ThrowsAsync<QueueFullException>(() => queue.EnqueueAsync(new Job(3)));

        Assert.Equal(2, ex.MaxSize);
        Assert.Contains("MaxSize", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await queue.GetStatsAsync()).Pending);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ProcessAsync_PoisonItem_DeadLetteredAfterMaxAttemptsWithLastError(string kind)
    {
        var queue = CreateQueue(CreateStore(kind), maxAttempts: 3);
        await queue.EnqueueAsync(new Job(1));
        await queue.EnqueueAsync(new Job(2, Poison: true));
        var attempts = new ConcurrentDictionary<int, int>();

        await queue.ProcessMessagesAsync((message, ct) =>
        {
            attempts.AddOrUpdate(message.Item.Number, 1, (_, n) => n + 1);
            Assert.Equal(attempts[message.Item.Number], message.DeliveryAttempt);
            return message.Item.Poison ? throw new FormatException($"bad job {message.Item.Number} try {message.DeliveryAttempt}") : Task.CompletedTask;
        }, workerCount: 2, stopWhenEmpty: true);

        Assert.Equal(3, attempts[2]);
        Assert.Equal(1, attempts[1]);
        var dead = Assert.Single(await queue.GetDeadLettersAsync());
        Assert.Equal(new Job(2, true), dead.Item);
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("bad job 2 try 3", dead.LastError, StringComparison.Ordinal);
        Assert.Contains(nameof(FormatException), dead.LastError, StringComparison.Ordinal);
        Assert.Equal(new QueueStats(0, 0, 1, 1), await queue.GetStatsAsync());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ReplayDeadLetterAsync_ThenProcess_Completes(string kind)
    {
        var queue = CreateQueue(CreateStore(kind), maxAttempts: 1);
        await queue.EnqueueAsync(new Job(1));
        var fail = true;
        Task Handler(Job job, CancellationToken ct) => fail ? throw new InvalidOperationException("down") : Task.CompletedTask;
        await queue.ProcessAsync(Handler, stopWhenEmpty: true);
        var dead = Assert.Single(await queue.GetDeadLettersAsync());

        fail = false;
        Assert.True(await queue.ReplayDeadLetterAsync(dead.Id));
        await queue.ProcessAsync(Handler, stopWhenEmpty: true);

        Assert.Empty(await queue.GetDeadLettersAsync());
        Assert.Equal(new QueueStats(0, 0, 1, 0), await queue.GetStatsAsync());
        Assert.False(await queue.ReplayDeadLetterAsync(dead.Id));
    }

    [Fact]
    public async Task PurgeDeadLettersAsync_Some_DeletesAll()
    {
        var queue = CreateQueue(new InMemoryQueueStore(), maxAttempts: 1);
        await queue.EnqueueAsync(new Job(1));
        await queue.EnqueueAsync(new Job(2));
        await queue.ProcessAsync((_, _) => throw new InvalidOperationException(), stopWhenEmpty: true);

        Assert.Equal(2, await queue.PurgeDeadLettersAsync());
        Assert.Equal(new QueueStats(0, 0, 0, 0), await queue.GetStatsAsync());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ProcessAsync_WorkerDied_RedeliveredAfterLeaseExpiry(string kind)
    {
        var store = CreateStore(kind);
        // The live worker's own lease is long, so fast-forwarding fake time cannot expire it too.
        var queue = new DurableQueue<Job>(store, new DurableQueueOptions { LeaseDuration = TimeSpan.FromHours(1) }, timeProvider: _time);
        await queue.EnqueueAsync(new Job(1));
        var dead = await store.ClaimOneAsync(_time.GetUtcNow(), Lease, 3); // a worker that then dies
        Assert.NotNull(dead);
        var delivered = new List<int>();
        var redelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var processing = queue.ProcessMessagesAsync((m, ct) =>
        {
            delivered.Add(m.DeliveryAttempt);
            redelivered.TrySetResult();
            return Task.CompletedTask;
        }, stopWhenEmpty: true);
        Assert.False(processing.IsCompleted); // waits: the item is in flight elsewhere

        await AdvanceUntil(redelivered.Task, TimeSpan.FromSeconds(1));
        await processing; // no more time needed: the completion wakes the worker, which finds the queue empty

        Assert.Equal([2], delivered);
        Assert.True(_time.GetUtcNow() >= dead.LeaseExpiresAt);
        Assert.Equal(new QueueStats(0, 0, 1, 0), await queue.GetStatsAsync());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ProcessAsync_LongHandler_LeaseRenewedSoOthersCannotClaim(string kind)
    {
        var store = CreateStore(kind);
        var queue = CreateQueue(store);
        await queue.EnqueueAsync(new Job(1));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var renewals = System.Threading.Channels.Channel.CreateUnbounded<int>();
        queue.LeasesRenewed = n => renewals.Writer.TryWrite(n);

        var processing = queue.ProcessAsync(async (job, ct) =>
        {
            started.SetResult();
            await release.Task;
        }, stopWhenEmpty: true);
        await started.Task;
        for (var round = 1; round <= 6; round++) // renewals every 10 s: 60 s, twice the 30 s lease
        {
            // The handler is busy, so the only timer the queue starts is the renewal loop's wait for its next round.
            await _time.AdvanceWhenWaitingAsync(Lease / 3);
            Assert.Equal(1, await renewals.Reader.ReadAsync());
        }

        Assert.Null(await store.ClaimOneAsync(_time.GetUtcNow(), Lease, 3));
        release.SetResult();
        await processing;
        Assert.Equal(new QueueStats(0, 0, 1, 0), await queue.GetStatsAsync());
    }

    [Fact]
    public async Task ProcessAsync_LeaseTakenByAnother_HandlerCancelledAndNotCompleted()
    {
        var store = new InMemoryQueueStore();
        var queue = CreateQueue(store);
        await queue.EnqueueAsync(new Job(1));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();

        var processing = queue.ProcessAsync(async (job, ct) =>
        {
            started.SetResult();
            ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
        }, cancellationToken: stop.Token);
        await started.Task;
        // Another worker takes the item once the lease seems expired to it (e.g. a paused process): simulate by claiming late.
        // A long lease for the thief: however far AdvanceUntil moves the clock, the item stays the thief's.
        var thief = await store.ClaimOneAsync(_time.GetUtcNow() + Lease, Lease, 3);
        Assert.NotNull(thief);
        // Exactly one renewal period, once the renewal loop waits: its round finds the lease gone. The clock never nears
        // the thief's expiry, so the worker cannot take the item back.
        await _time.AdvanceWhenWaitingAsync(Lease / 3);
        await cancelled.Task;

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processing);
        Assert.Equal(0, (await store.GetStatsAsync()).Completed);
        Assert.True(await store.CompleteAsync(thief.ItemId, thief.LeaseToken));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ProcessAsync_CallerCancels_ThrowsAndGivesItemBackUncounted(string kind)
    {
        var store = CreateStore(kind);
        var queue = CreateQueue(store);
        await queue.EnqueueAsync(new Job(1));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();

        var processing = queue.ProcessAsync(async (job, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, workerCount: 2, cancellationToken: cts.Token);
        await started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processing);
        Assert.Equal(new QueueStats(1, 0, 0, 0), await queue.GetStatsAsync());
        Assert.Equal(1, (await store.ClaimOneAsync(_time.GetUtcNow(), Lease, 3))!.DeliveryAttempt);
    }

    [Fact]
    public async Task ProcessAsync_NotStopWhenEmpty_PicksUpLaterEnqueues()
    {
        var queue = CreateQueue(new InMemoryQueueStore());
        using var cts = new CancellationTokenSource();
        var seen = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var processing = queue.ProcessAsync((job, ct) =>
        {
            seen.TrySetResult(job.Number);
            return Task.CompletedTask;
        }, cancellationToken: cts.Token);

        await queue.EnqueueAsync(new Job(42)); // wakes the idle worker without any time passing

        Assert.Equal(42, await seen.Task);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processing);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task EnqueueManyAsync_ThenProcess_AllInOrder(string kind)
    {
        var queue = CreateQueue(CreateStore(kind), maxSize: 5);
        var ids = await queue.EnqueueManyAsync([new Job(1), new Job(2), new Job(3)], priority: 2);
        var seen = new List<int>();

        await Assert.ThrowsAsync<QueueFullException>(() => queue.EnqueueManyAsync([new Job(4), new Job(5), new Job(6)]));
        await queue.ProcessAsync((job, ct) =>
        {
            seen.Add(job.Number);
            return Task.CompletedTask;
        }, stopWhenEmpty: true);

        Assert.Equal(3, ids.Count);
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal(new QueueStats(0, 0, 3, 0), await queue.GetStatsAsync());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ProcessAsync_ManyItemsManyWorkers_EachCompletedOnce(string kind)
    {
        var queue = CreateQueue(CreateStore(kind));
        for (var i = 0; i < 200; i++)
        {
            await queue.EnqueueAsync(new Job(i), priority: i % 3);
        }

        var seen = new ConcurrentBag<int>();
        await queue.ProcessAsync(async (job, ct) =>
        {
            await Task.Yield();
            seen.Add(job.Number);
        }, workerCount: 8, stopWhenEmpty: true);

        Assert.Equal(Enumerable.Range(0, 200), seen.Order());
        Assert.Equal(new QueueStats(0, 0, 200, 0), await queue.GetStatsAsync());
    }

    [Fact]
    public async Task ProcessAsync_UnreadablePayload_DeadLetteredAtOnce()
    {
        var store = new InMemoryQueueStore();
        await store.TryEnqueueAsync("not json"u8.ToArray(), 0, _time.GetUtcNow(), 10);
        var queue = CreateQueue(store);
        var calls = 0;

        await queue.ProcessAsync((_, _) =>
        {
            calls++;
            return Task.CompletedTask;
        }, stopWhenEmpty: true);

        Assert.Equal(0, calls);
        var dead = Assert.Single(await queue.GetDeadLettersAsync());
        Assert.Null(dead.Item);
        Assert.Contains("could not be deserialized", dead.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueueMessage_IdempotencyKey_StableAcrossDeliveries()
    {
        var queue = CreateQueue(new InMemoryQueueStore());
        await queue.EnqueueAsync(new Job(1));
        var keys = new List<string>();

        await queue.ProcessMessagesAsync((m, ct) =>
        {
            keys.Add(m.IdempotencyKey);
            return m.DeliveryAttempt == 1 ? throw new TimeoutException() : Task.CompletedTask;
        }, stopWhenEmpty: true);

        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
    }

    [Theory]
    [InlineData(nameof(DurableQueueOptions.MaxSize), "DurableQueueOptions.MaxSize must be at least 1; was 0.")]
    [InlineData(nameof(DurableQueueOptions.MaxDeliveryAttempts), "DurableQueueOptions.MaxDeliveryAttempts must be between 1 and 1000; was 0.")]
    [InlineData(nameof(DurableQueueOptions.LeaseDuration), "DurableQueueOptions.LeaseDuration must be between")]
    [InlineData(nameof(DurableQueueOptions.PollInterval), "DurableQueueOptions.PollInterval must be between")]
    public void Constructor_InvalidOption_ThrowsNamingIt(string option, string message)
    {
        var options = new DurableQueueOptions();
        switch (option)
        {
            case nameof(DurableQueueOptions.MaxSize): options.MaxSize = 0; break;
            case nameof(DurableQueueOptions.MaxDeliveryAttempts): options.MaxDeliveryAttempts = 0; break;
            case nameof(DurableQueueOptions.LeaseDuration): options.LeaseDuration = TimeSpan.Zero; break;
            default: options.PollInterval = TimeSpan.FromDays(2); break;
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DurableQueue<Job>(new InMemoryQueueStore(), options));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_OptionsChangedAfterwards_QueueKeepsItsCopy()
    {
        var options = new DurableQueueOptions { MaxSize = 1 };
        var queue = new DurableQueue<Job>(new InMemoryQueueStore(), options, timeProvider: _time);
        options.MaxSize = 10;
        await queue.EnqueueAsync(new Job(1));

        await Assert.ThrowsAsync<QueueFullException>(() => queue.EnqueueAsync(new Job(2)));
    }

    [Fact]
    public void Constructor_DefaultOptions_Valid()
        => Assert.NotNull(new DurableQueue<Job>(new InMemoryQueueStore()));

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public async Task ProcessAsync_InvalidWorkerCount_Throws(int workers)
    {
        var queue = CreateQueue(new InMemoryQueueStore());

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ProcessAsync((_, _) => Task.CompletedTask, workers));

        Assert.Contains("workerCount must be between 1 and 256", ex.Message, StringComparison.Ordinal);
    }

    private async Task AdvanceUntil(Task task, TimeSpan step)
    {
        for (var i = 0; i < 100_000 && !task.IsCompleted; i++)
        {
            _time.Advance(step);
            for (var j = 0; j < 20 && !task.IsCompleted; j++)
            {
                await Task.Yield();
            }
        }

        await task;
    }
}
