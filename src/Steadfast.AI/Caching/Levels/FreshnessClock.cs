namespace Steadfast.AI.Caching;

/// <summary>
/// The clock of an L1 hit's freshness check, cheaper than <see cref="TimeProvider.GetUtcNow"/>: on the system clock it is
/// <see cref="Environment.TickCount64"/> (a coarse monotonic millisecond count, a few nanoseconds instead of a wall-clock read,
/// which is most of an L1 hit's cost); on any other provider (a <c>FakeTimeProvider</c> in tests) it is that provider's UTC time in
/// milliseconds, so virtual time drives it exactly.
/// </summary>
/// <remarks>
/// The deadline it gives is conservative: it ends <see cref="Margin"/> before the entry's real expiry (more than the coarse clock's
/// resolution), so the hit path never serves an expired entry; an entry in its last milliseconds goes the full way, where
/// <see cref="TimeProvider.GetUtcNow"/> decides.
/// </remarks>
internal sealed class FreshnessClock(TimeProvider time)
{
    /// <summary>How much earlier than its expiry an entry stops being served by the hit path (the coarse clock lags by up to a tick).</summary>
    public const long Margin = 20;

    private readonly bool _system = ReferenceEquals(time, TimeProvider.System);

    /// <summary>Now, in this clock's milliseconds.</summary>
    public long Now() => _system ? Environment.TickCount64 : time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The last moment, in this clock's milliseconds, the hit path may serve an entry expiring at <paramref name="expiresAt"/>.</summary>
    /// <param name="expiresAt">The entry's expiry.</param>
    /// <param name="now">Now, read from the <see cref="TimeProvider"/> by the caller.</param>
    public long FreshUntil(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var left = expiresAt - now;
        if (left <= TimeSpan.Zero)
        {
            return long.MinValue;
        }

        // Whole milliseconds, rounded down, and the margin off: never later than the real expiry on either clock. A provider
        // other than the system one is this clock itself, so the caller's reading serves (no second read).
        var from = _system ? Environment.TickCount64 : now.ToUnixTimeMilliseconds();
        return from + (long)left.TotalMilliseconds - Margin;
    }
}
