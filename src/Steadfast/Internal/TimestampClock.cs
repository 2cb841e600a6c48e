namespace Steadfast;

/// <summary>
/// The UTC time of a <see cref="TimeProvider"/> timestamp a caller has read already, without a second clock read: the time is an
/// anchor (one <see cref="TimeProvider.GetUtcNow"/> and <see cref="TimeProvider.GetTimestamp"/> pair) plus the timestamps since it,
/// and the anchor is read again once a second of timestamps has passed. For a hot path that needs both a monotonic timestamp (for
/// durations) and a wall-clock time (for records): each clock read costs tens of nanoseconds.
/// </summary>
/// <remarks>
/// On the system clock the answer differs from a fresh wall-clock read only by the clock's drift since the anchor (well under a
/// millisecond) or by an adjustment of the wall clock made in that second; on a <c>FakeTimeProvider</c>, whose timestamps are its
/// UTC ticks, it is exact.
/// </remarks>
internal sealed class TimestampClock(TimeProvider time)
{
    private readonly double _ticksPerTimestamp = (double)TimeSpan.TicksPerSecond / time.TimestampFrequency;
    private Anchor? _anchor;

    /// <summary>The provider's UTC time at <paramref name="timestamp"/>, one of its timestamps (one older than the anchor is fine).</summary>
    public DateTimeOffset UtcAt(long timestamp)
    {
        var anchor = Volatile.Read(ref _anchor);
        if (anchor is null || timestamp - anchor.Timestamp >= time.TimestampFrequency)
        {
            anchor = new Anchor(time.GetUtcNow(), time.GetTimestamp());
            Volatile.Write(ref _anchor, anchor);
        }

        return anchor.Utc.AddTicks((long)((timestamp - anchor.Timestamp) * _ticksPerTimestamp));
    }

    private sealed record Anchor(DateTimeOffset Utc, long Timestamp);
}
