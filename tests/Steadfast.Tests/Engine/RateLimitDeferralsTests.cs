using Microsoft.Extensions.Time.Testing;

namespace Steadfast.Tests.Engine;

public sealed class RateLimitDeferralsTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Defer_ShortHint_DefersUntilItPasses()
    {
        var (time, deferrals) = New();
        deferrals.Defer("op", "s", Short);

        Assert.True(deferrals.IsDeferred("op", "s", out var remaining));
        Assert.Equal(Short, remaining);
        Assert.False(deferrals.IsDeferred("op", "other", out _));
        Assert.False(deferrals.IsDeferred("other-op", "s", out _));

        time.Advance(Short);
        Assert.False(deferrals.IsDeferred("op", "s", out _));
    }

    [Fact]
    public void IsDeferred_PauseEnds_LetsEveryCallerThrough()
    {
        var (time, deferrals) = New();
        deferrals.Defer("op", "s", TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(deferrals.IsDeferred("op", "s", out _));
        Assert.False(deferrals.IsDeferred("op", "s", out _));
    }

    private static (FakeTimeProvider Time, RateLimitDeferrals Deferrals) New()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return (time, new RateLimitDeferrals(time));
    }
}
