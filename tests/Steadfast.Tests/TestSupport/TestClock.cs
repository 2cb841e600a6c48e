using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.TestSupport;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it, so a test can wait until the code under
/// test has started waiting (a retry delay, a timeout) before it advances time — advancing earlier would be lost.
/// </summary>
internal sealed class TestClock : FakeTimeProvider
{
    private readonly SemaphoreSlim _timersCreated = new(0);

    /// <summary>Starts at <see cref="FakeTimeProvider"/>'s default time.</summary>
    public TestClock()
    {
    }

    /// <summary>Starts at <paramref name="start"/>.</summary>
    public TestClock(DateTimeOffset start)
        : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timersCreated.Release();
        return timer;
    }

    /// <summary>Waits until the next timer is created. The real-time bound only turns a hang into a clear failure.</summary>
    public async Task WaitForTimerAsync()
    {
        Assert.True(await _timersCreated.WaitAsync(TimeSpan.FromSeconds(30)), "No timer was created: the code under test never started waiting.");
    }

    /// <summary>
    /// Advances time by <paramref name="step"/> each time the code under test starts a timer, until <paramref name="task"/>
    /// completes. Keep the step below any timeout that must not fire.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> task, TimeSpan step)
    {
        while (!task.IsCompleted)
        {
            var timer = _timersCreated.WaitAsync(TimeSpan.FromSeconds(30));
            if (await Task.WhenAny(task, timer) == task)
            {
                break;
            }

            Assert.True(await timer, "The task neither completed nor started a timer.");
            Advance(step);
        }

        return await task;
    }

    /// <summary>Waits for the code under test to start waiting, then advances time by <paramref name="delta"/>.</summary>
    public async Task AdvanceWhenWaitingAsync(TimeSpan delta)
    {
        await WaitForTimerAsync();
        Advance(delta);
    }
}
