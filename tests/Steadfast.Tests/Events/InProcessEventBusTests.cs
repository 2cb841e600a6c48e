using System.Collections.Concurrent;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Events;

public sealed class InProcessEventBusTests
{
    private record Ping(int Value);

    private sealed record SpecialPing(int Value, string Tag) : Ping(Value);

    private sealed record Other(string Text);

    [Fact]
    public async Task PublishAndWaitAsync_TwoSubscribers_ReturnsAfterBothHandled()
    {
        await using var bus = new InProcessEventBus();
        var seen = new ConcurrentBag<string>();
        using var a = bus.Subscribe<Ping>((p, _) => { seen.Add("a" + p.Value); return Task.CompletedTask; });
        using var b = bus.Subscribe<Ping>(async (p, _) => { await Task.Yield(); seen.Add("b" + p.Value); });

        await bus.PublishAndWaitAsync(new Ping(1));

        Assert.Equal(["a1", "b1"], seen.Order());
    }

    [Fact]
    public async Task PublishAndWaitAsync_DerivedEvent_ReachesBaseSubscriberButNotOthers()
    {
        await using var bus = new InProcessEventBus();
        var pings = 0;
        var others = 0;
        using var a = bus.Subscribe<Ping>((_, _) => { Interlocked.Increment(ref pings); return Task.CompletedTask; });
        using var b = bus.Subscribe<Other>((_, _) => { Interlocked.Increment(ref others); return Task.CompletedTask; });

        await bus.PublishAndWaitAsync(new SpecialPing(1, "x"));

        Assert.Equal(1, pings);
        Assert.Equal(0, others);
    }

    [Fact]
    public async Task PublishAndWaitAsync_ThrowingSubscriber_IsLoggedAndOthersStillRun()
    {
        var logs = new CapturingLoggerFactory();
        await using var bus = new InProcessEventBus(logs);
        var handled = 0;
        using var bad = bus.Subscribe<Ping>((_, _) => throw new InvalidOperationException("boom"));
        using var good = bus.Subscribe<Ping>((_, _) => { Interlocked.Increment(ref handled); return Task.CompletedTask; });

        await bus.PublishAndWaitAsync(new Ping(1));
        await bus.PublishAndWaitAsync(new Ping(2));

        Assert.Equal(2, handled);
        Assert.Equal(2, logs.Entries.Count(e => e.Id == 5201));
    }

    [Fact]
    public async Task PublishAsync_SlowSubscriber_ReturnsBeforeTheHandlerRuns()
    {
        await using var bus = new InProcessEventBus();
        var release = new TaskCompletionSource();
        var handled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var slow = bus.Subscribe<Ping>(async (p, _) => { await release.Task; handled.TrySetResult(p.Value); });

        var publish = bus.PublishAsync(new Ping(7));

        Assert.True(publish.IsCompletedSuccessfully);
        Assert.False(handled.Task.IsCompleted);
        release.SetResult();
        Assert.Equal(7, await handled.Task);
    }

    [Fact]
    public async Task PublishAsync_SubscriberQueueFull_DropsCountsAndLogsOncePerBurst()
    {
        var logs = new CapturingLoggerFactory();
        using var metrics = new MeasurementRecorder(n => n == "steadfast.events.dropped");
        await using var bus = new InProcessEventBus(new InProcessEventBusOptions { Capacity = 2 }, logs);
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        using var slow = bus.Subscribe<Ping>(async (_, _) => { started.TrySetResult(); await release.Task; Interlocked.Increment(ref handled); });

        await bus.PublishAsync(new Ping(0));
        await started.Task; // the handler holds the first event; the queue (2) is empty again
        for (var i = 1; i <= 5; i++)
        {
            await bus.PublishAsync(new Ping(i));
        }

        Assert.Equal(3, bus.DroppedCount);
        Assert.Equal(3, metrics.Measurements.Count(m => m.Instrument == "steadfast.events.dropped"));
        Assert.Single(logs.Entries, e => e.Id == 5200);
        release.SetResult();
        await bus.PublishAndWaitAsync(new Ping(99));
        Assert.Equal(4, handled);
    }

    [Fact]
    public async Task PublishAsync_QueueWithRoom_DropsNothing()
    {
        await using var bus = new InProcessEventBus(new InProcessEventBusOptions { Capacity = 10 });
        using var sub = bus.Subscribe<Ping>((_, _) => Task.CompletedTask);

        for (var i = 0; i < 10; i++)
        {
            await bus.PublishAsync(new Ping(i));
        }

        await bus.PublishAndWaitAsync(new Ping(10));
        Assert.Equal(0, bus.DroppedCount);
    }

    [Fact]
    public async Task PublishAndWaitAsync_QueueFull_WaitsForRoomInsteadOfDropping()
    {
        await using var bus = new InProcessEventBus(new InProcessEventBusOptions { Capacity = 1 });
        var release = new TaskCompletionSource();
        var handled = 0;
        using var slow = bus.Subscribe<Ping>(async (_, _) => { await release.Task; Interlocked.Increment(ref handled); });

        var first = bus.PublishAndWaitAsync(new Ping(1));
        var second = bus.PublishAndWaitAsync(new Ping(2));
        var third = bus.PublishAndWaitAsync(new Ping(3));
        Assert.False(third.IsCompleted);

        release.SetResult();
        await Task.WhenAll(first, second, third);
        Assert.Equal(3, handled);
        Assert.Equal(0, bus.DroppedCount);
    }

    [Fact]
    public async Task Subscribe_Disposed_StopsDeliveries()
    {
        await using var bus = new InProcessEventBus();
        var handled = 0;
        var sub = bus.Subscribe<Ping>((_, _) => { Interlocked.Increment(ref handled); return Task.CompletedTask; });
        await bus.PublishAndWaitAsync(new Ping(1));

        sub.Dispose();
        await bus.PublishAndWaitAsync(new Ping(2));

        Assert.Equal(1, handled);
        Assert.Equal(0, bus.SubscriberCount);
    }

    [Fact]
    public async Task DisposeAsync_HandlerWaiting_CancelsItsTokenAndCompletes()
    {
        var bus = new InProcessEventBus();
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sub = bus.Subscribe<Ping>(async (_, ct) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                cancelled.TrySetResult();
            }
        });
        await bus.PublishAsync(new Ping(1));
        await started.Task;

        await bus.DisposeAsync();

        Assert.True(cancelled.Task.IsCompleted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => bus.PublishAndWaitAsync(new Ping(2)));
        Assert.Throws<ObjectDisposedException>(() => bus.Subscribe<Ping>((_, _) => Task.CompletedTask));
    }

    [Fact]
    public void Options_CapacityOutOfRange_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new InProcessEventBus(new InProcessEventBusOptions { Capacity = 0 }));

        Assert.Contains("InProcessEventBusOptions.Capacity", ex.Message, StringComparison.Ordinal);
        Assert.Equal(5, new InProcessEventBusOptions { Capacity = 5 }.Clone().Capacity);
    }

    [Fact]
    public async Task PublishAndWaitAsync_ManyPublishersAndSubscribers_NoAcknowledgedEventLost()
    {
        await using var bus = new InProcessEventBus(new InProcessEventBusOptions { Capacity = 4 });
        const int Subscribers = 8;
        const int Publishers = 8;
        const int PerPublisher = 200;
        var received = new ConcurrentDictionary<int, int>[Subscribers];
        var subs = new List<IDisposable>();
        for (var s = 0; s < Subscribers; s++)
        {
            var mine = received[s] = new ConcurrentDictionary<int, int>();
            subs.Add(bus.Subscribe<Ping>(async (p, _) => { if (p.Value % 7 == 0) { await Task.Yield(); } mine.AddOrUpdate(p.Value, 1, (_, n) => n + 1); }));
        }

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < PerPublisher; i++)
            {
                await bus.PublishAndWaitAsync(new Ping((p * PerPublisher) + i));
            }
        })));

        Assert.All(received, r =>
        {
            Assert.Equal(Publishers * PerPublisher, r.Count);
            Assert.All(r.Values, n => Assert.Equal(1, n));
        });
        Assert.Equal(0, bus.DroppedCount);
        subs.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task PublishAsync_ManyPublishersOverflowing_EveryEventIsDeliveredOrCounted()
    {
        await using var bus = new InProcessEventBus(new InProcessEventBusOptions { Capacity = 8 });
        const int Subscribers = 4;
        const int Publishers = 8;
        const int PerPublisher = 500;
        var delivered = 0L;
        var subs = Enumerable.Range(0, Subscribers)
            .Select(_ => bus.Subscribe<Ping>(async (_, _) => { await Task.Yield(); Interlocked.Increment(ref delivered); }))
            .ToList();

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < PerPublisher; i++)
            {
                await bus.PublishAsync(new Ping(i));
            }
        })));

        // A marker each subscriber acknowledges after everything queued before it: the counts are final then.
        await bus.PublishAndWaitAsync(new Ping(-1));
        Assert.Equal((long)Subscribers * Publishers * PerPublisher, Interlocked.Read(ref delivered) - Subscribers + bus.DroppedCount);
        subs.ForEach(s => s.Dispose());
    }
}
