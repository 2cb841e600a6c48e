using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Internal;

public sealed class TimestampClockTests
{
    [Fact]
    public void UtcAt_TimestampsOfFakeClock_AreItsUtcTimeExactly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new TimestampClock(time);

        var first = clock.UtcAt(time.GetTimestamp());
        time.Advance(TimeSpan.FromMilliseconds(250.5));
        var withinAnchor = clock.UtcAt(time.GetTimestamp());
        time.Advance(TimeSpan.FromMinutes(3));
        var afterReanchor = clock.UtcAt(time.GetTimestamp());

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), first);
        Assert.Equal(first + TimeSpan.FromMilliseconds(250.5), withinAnchor);
        Assert.Equal(time.GetUtcNow(), afterReanchor);
    }

    [Fact]
    public void UtcAt_TimestampOlderThanAnchor_IsThatEarlierTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new TimestampClock(time);
        var started = time.GetTimestamp();
        time.Advance(TimeSpan.FromSeconds(5));
        _ = clock.UtcAt(time.GetTimestamp()); // anchors at +5 s

        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), clock.UtcAt(started));
    }

    [Fact]
    public void UtcAt_SystemClock_IsWithinTheWallClockReadsAroundIt()
    {
        var clock = new TimestampClock(TimeProvider.System);
        _ = clock.UtcAt(TimeProvider.System.GetTimestamp()); // anchors

        var before = TimeProvider.System.GetUtcNow();
        var at = clock.UtcAt(TimeProvider.System.GetTimestamp());
        var after = TimeProvider.System.GetUtcNow();

        // Drift within one anchor second is far below this tolerance; a wrong scale (ticks vs timestamps) is far above it.
        Assert.InRange(at, before - TimeSpan.FromMilliseconds(50), after + TimeSpan.FromMilliseconds(50));
    }
}
