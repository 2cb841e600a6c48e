using Microsoft.Extensions.Time.Testing;
using Steadfast.Tests.TestSupport;

namespace Steadfast.Tests.Retry;

public sealed class RetryBudgetTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero));
    private readonly MeasurementRecorder _recorder = new(name => name == "steadfast.retry.budget.refused");
    private readonly CapturingLoggerFactory _logs = new();
    private readonly string _name = $"budget-{Guid.NewGuid():N}";

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public void TryAcquireRetry_BeyondTheRatio_Refuses()
    {
        var budget = Budget(ratio: 0.2, minPerSecond: 0);
        Calls(budget, 100);

        Assert.Equal(20, Acquired(budget, 25));
        Assert.Equal(100, budget.CallsInWindow);
        Assert.Equal(20, budget.RetriesInWindow);
        Assert.Equal(5, budget.RefusedRetries);
        Assert.Equal(0, budget.AvailableRetries);
    }

    [Fact]
    public void TryAcquireRetry_NoCalls_AllowsTheFloorOfMinRetriesPerSecondTimesWindow()
    {
        var budget = Budget(ratio: 0.2, minPerSecond: 10, window: TimeSpan.FromSeconds(10));

        Assert.Equal(100, budget.AvailableRetries);
        Assert.Equal(100, Acquired(budget, 150));
        Assert.Equal(50, budget.RefusedRetries);
    }

    [Fact]
    public void TryAcquireRetry_RatioAndFloor_AddUp()
    {
        var budget = Budget(ratio: 0.1, minPerSecond: 1, window: TimeSpan.FromSeconds(10));
        Calls(budget, 30);   // 0.1 × 30 = 3.0000000000000004 in floating point: still exactly 3 retries

        Assert.Equal(13, budget.AvailableRetries);
        Assert.Equal(13, Acquired(budget, 20));
    }

    [Fact]
    public void TryAcquireRetry_ZeroRatioAndNoFloor_NeverAllows()
    {
        var budget = Budget(ratio: 0, minPerSecond: 0);
        Calls(budget, 1000);

        Assert.False(budget.TryAcquireRetry());
    }

    [Fact]
    public void Window_Slides_OldCallsExpire()
    {
        var budget = Budget(ratio: 0.5, minPerSecond: 0, window: TimeSpan.FromSeconds(10));
        Calls(budget, 10);

        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(10, budget.CallsInWindow);
        Assert.Equal(5, budget.AvailableRetries);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(0, budget.CallsInWindow);
        Assert.False(budget.TryAcquireRetry());
    }

    [Fact]
    public void Window_Slides_OldRetriesExpireAndTheBudgetRefills()
    {
        var budget = Budget(ratio: 0, minPerSecond: 1, window: TimeSpan.FromSeconds(10));
        Assert.Equal(10, Acquired(budget, 11));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(budget.TryAcquireRetry());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, budget.RetriesInWindow);
        Assert.Equal(10, Acquired(budget, 11));
    }

    [Fact]
    public void Window_Slides_SliceBySlice()
    {
        var budget = Budget(ratio: 1, minPerSecond: 0, window: TimeSpan.FromSeconds(10));
        Calls(budget, 4);
        _time.Advance(TimeSpan.FromSeconds(5));
        Calls(budget, 6);
        Assert.Equal(10, budget.CallsInWindow);

        _time.Advance(TimeSpan.FromSeconds(5));   // the first four are 10 s old now
        Assert.Equal(6, budget.CallsInWindow);

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, budget.CallsInWindow);
    }

    [Fact]
    public void Window_LongIdle_ForgetsEverything()
    {
        var budget = Budget(ratio: 1, minPerSecond: 0, window: TimeSpan.FromSeconds(10));
        Calls(budget, 5);
        Assert.Equal(5, Acquired(budget, 5));

        _time.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, budget.CallsInWindow);
        Assert.Equal(0, budget.RetriesInWindow);
    }

    [Fact]
    public async Task ConcurrentUse_IsExact()
    {
        const int threads = 8, perThread = 5_000;
        var budget = Budget(ratio: 0.25, minPerSecond: 0);
        using var start = new Barrier(threads);

        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => OnOwnThread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                budget.RecordCall();
            }
        })));

        var allowed = 0;
        await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => OnOwnThread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                if (budget.TryAcquireRetry())
                {
                    Interlocked.Increment(ref allowed);
                }
            }
        })));

        Assert.Equal(threads * perThread, budget.CallsInWindow);
        Assert.Equal(threads * perThread / 4, allowed);
        Assert.Equal(allowed, budget.RetriesInWindow);
        Assert.Equal((threads * perThread) - allowed, budget.RefusedRetries);
    }

    [Fact]
    public void Refusals_AreCountedEachAndLoggedOncePerEpisode()
    {
        var budget = new RetryBudget(_name, new RetryBudgetOptions { Ratio = 0, MinRetriesPerSecond = 1, Window = TimeSpan.FromSeconds(1) }, _time, _logs);
        Assert.Equal(1, Acquired(budget, 4));            // one allowed, three refused: one episode

        Assert.Equal(3, _recorder.ForPolicy("steadfast.retry.budget.refused", _name).Count);
        var exhausted = Assert.Single(_logs.Entries, e => e.Id == 1102);
        Assert.Equal("Steadfast.RetryBudget", exhausted.Category);
        Assert.Contains($"Retry budget '{_name}': retry refused: 1 retries for 0 calls", exhausted.Message, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(budget.TryAcquireRetry());           // the episode ends
        var refilled = Assert.Single(_logs.Entries, e => e.Id == 1103);
        Assert.Contains("after 3 were refused", refilled.Message, StringComparison.Ordinal);

        Assert.False(budget.TryAcquireRetry());          // a new episode
        Assert.Equal(2, _logs.Entries.Count(e => e.Id == 1102));
    }

    [Fact]
    public void RecordCallAndAllowedRetry_AllocateNothing()
    {
        var budget = Budget(ratio: 1, minPerSecond: 0);

        void Call()
        {
            budget.RecordCall();
            Assert.True(budget.TryAcquireRetry());
        }

        for (var i = 0; i < 100; i++)
        {
            Call();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            Call();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private RetryBudget Budget(double ratio, int minPerSecond, TimeSpan? window = null) =>
        new(new RetryBudgetOptions { Ratio = ratio, MinRetriesPerSecond = minPerSecond, Window = window ?? TimeSpan.FromSeconds(10) }, _time);

    // The barrier blocks its threads: pool threads would starve the pool on a small machine.
    private static Task OnOwnThread(Action body) => Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static void Calls(RetryBudget budget, int count)
    {
        for (var i = 0; i < count; i++)
        {
            budget.RecordCall();
        }
    }

    private static int Acquired(RetryBudget budget, int attempts)
    {
        var allowed = 0;
        for (var i = 0; i < attempts; i++)
        {
            allowed += budget.TryAcquireRetry() ? 1 : 0;
        }

        return allowed;
    }
}
