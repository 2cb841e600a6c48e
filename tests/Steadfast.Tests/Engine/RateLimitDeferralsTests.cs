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
    public void Succeeded_AfterAShortHint_PacesTheNextCallByIt()
    {
        var (time, deferrals) = New();
        deferrals.Defer("op", "s", Short);
        time.Advance(Short);
        Assert.False(deferrals.IsDeferred("op", "s", out _));

        deferrals.Succeeded("op", "s");

        Assert.True(deferrals.IsDeferred("op", "s", out var remaining)); // the service's spacing: no request to hear a 429
        Assert.Equal(Short, remaining);
    }

    [Fact]
    public void Succeeded_AfterALongHint_DoesNotPace()
    {
        // A window quota ("come back in a minute") is waited out, then the strategy is called freely.
        var (time, deferrals) = New();
        deferrals.Defer("op", "s", TimeSpan.FromSeconds(60));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(deferrals.IsDeferred("op", "s", out _));

        deferrals.Succeeded("op", "s");

        Assert.False(deferrals.IsDeferred("op", "s", out _));
    }

    [Fact]
    public void Succeeded_NeverRateLimited_DoesNotPace()
    {
        var (_, deferrals) = New();
        deferrals.Succeeded("op", "s");
        Assert.False(deferrals.IsDeferred("op", "s", out _));
    }

    [Fact]
    public void Succeeded_LongAfterTheLastRefusal_StopsPacing()
    {
        var (time, deferrals) = New();
        deferrals.Defer("op", "s", Short);
        time.Advance(ResilienceConstants.RateLimitPaceMemory + Short);
        Assert.False(deferrals.IsDeferred("op", "s", out _));

        deferrals.Succeeded("op", "s");

        Assert.False(deferrals.IsDeferred("op", "s", out _)); // a quota that grew is found out
    }

    [Fact]
    public void Defer_SeveralShortHints_PacesByTheLongest()
    {
        var (time, deferrals) = New();
        deferrals.Defer("op", "s", Short);
        time.Advance(Short);
        deferrals.Defer("op", "s", TimeSpan.FromMilliseconds(20)); // refused just before a token came back
        time.Advance(TimeSpan.FromMilliseconds(20));
        Assert.False(deferrals.IsDeferred("op", "s", out _));

        deferrals.Succeeded("op", "s");

        Assert.True(deferrals.IsDeferred("op", "s", out var remaining));
        Assert.Equal(Short, remaining);
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
