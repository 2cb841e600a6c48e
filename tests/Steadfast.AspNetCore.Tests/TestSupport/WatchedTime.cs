using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Steadfast.AspNetCore.Tests.TestSupport;

/// <summary>
/// Fake time that tells the test when a timer is created and for how long, so the test advances time only once the code
/// under test is waiting (a retry-after wait), never before.
/// </summary>
internal sealed class WatchedTime : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public WatchedTime()
        : base(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Completes when a timer due in exactly <paramref name="dueTime"/> has been created.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        await foreach (var due in _timers.Reader.ReadAllAsync())
        {
            if (due == dueTime)
            {
                return;
            }
        }
    }
}
