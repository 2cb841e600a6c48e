using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Durable;

/// <summary>Workflow steps and queue handlers running through the <see cref="ResilienceEngine"/>.</summary>
public sealed class DurableEngineTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private ResilienceEngine Engine(int maxAttempts = 5) => new(new ResilienceOptions
    {
        MaxAttempts = maxAttempts,
        InitialDelay = TimeSpan.Zero, // retries without waiting: no clock to drive
        MaxDelay = TimeSpan.Zero,
        EnableProgressTracking = false,
    }, timeProvider: _time);

    [Fact]
    public async Task WorkflowStep_TransientFailures_RetriedByEngineAndStoredOnce()
    {
        var store = new InMemoryCheckpointStore();
        var runner = new WorkflowRunner(store, engine: Engine(), timeProvider: _time);
        var calls = 0;

        var result = await runner.RunAsync("w", 0, (ctx, _, ct) => ctx.StepAsync("fetch", c =>
            ++calls < 3 ? throw new TimeoutException("slow upstream") : Task.FromResult("data")));

        Assert.True(result.Success);
        Assert.Equal("data", result.Value);
        Assert.Equal(3, calls);
        Assert.Equal(1, result.StepsExecuted);
        Assert.Single(await store.GetStepsAsync("w"));
    }

    [Fact]
    public async Task WorkflowStep_WithoutEngine_FirstFailureFailsTheWorkflow()
    {
        var runner = new WorkflowRunner(new InMemoryCheckpointStore(), timeProvider: _time);
        var calls = 0;

        var result = await runner.RunAsync("w", 0, (ctx, _, ct) => ctx.StepAsync("fetch", c =>
            ++calls < 3 ? throw new TimeoutException("slow upstream") : Task.FromResult("data")));

        Assert.False(result.Success);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task WorkflowStep_EngineGivesUp_WorkflowFailsWithTheStepsErrorAndResumesLater()
    {
        var store = new InMemoryCheckpointStore();
        var runner = new WorkflowRunner(store, engine: Engine(maxAttempts: 2), timeProvider: _time);
        var down = true;
        Task<string> Body(WorkflowContext ctx, int _, CancellationToken ct) =>
            ctx.StepAsync("fetch", c => down ? throw new TimeoutException("still down") : Task.FromResult("data"));

        var failed = await runner.RunAsync("w", 0, Body);
        down = false;
        var resumed = await runner.RunAsync("w", 0, Body);

        var error = Assert.IsType<TimeoutException>(failed.Error);
        Assert.Equal("still down", error.Message);
        Assert.True(resumed.Success);
    }

    [Fact]
    public async Task QueueHandler_TransientFailure_RetriedWithinOneDelivery()
    {
        var queue = new DurableQueue<int>(new InMemoryQueueStore(), engine: Engine(), timeProvider: _time);
        await queue.EnqueueAsync(7);
        var deliveries = new List<int>();

        await queue.ProcessMessagesAsync((m, ct) =>
        {
            deliveries.Add(m.DeliveryAttempt);
            return deliveries.Count == 1 ? throw new TimeoutException("blip") : Task.CompletedTask;
        }, stopWhenEmpty: true);

        Assert.Equal([1, 1], deliveries); // the engine retried; the queue saw one successful delivery
        Assert.Equal(new QueueStats(0, 0, 1, 0), await queue.GetStatsAsync());
    }

    [Fact]
    public async Task QueueHandler_EngineGivesUp_DeliveryFailsAndItemIsDeadLettered()
    {
        var queue = new DurableQueue<int>(new InMemoryQueueStore(), new DurableQueueOptions { MaxDeliveryAttempts = 1 }, Engine(maxAttempts: 2), _time);
        await queue.EnqueueAsync(7);

        await queue.ProcessAsync((_, _) => throw new TimeoutException("always"), stopWhenEmpty: true);

        var dead = Assert.Single(await queue.GetDeadLettersAsync());
        Assert.Contains("always", dead.LastError, StringComparison.Ordinal);
    }
}
