namespace Steadfast;

/// <summary>Defaults and limits of <see cref="TimeoutOptions"/>, written once (internal: a public <c>const</c> would compile into callers).</summary>
internal static class TimeoutConstants
{
    /// <summary>The default <see cref="TimeoutOptions.Timeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The shortest allowed timeout: 10 ms (Polly's lower bound; shorter would measure timer resolution).</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest allowed timeout: 1 day.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>The default <see cref="TimeoutOptions.Behavior"/>: throw <see cref="OperationTimeoutException"/>.</summary>
    public const TimeoutBehavior DefaultBehavior = TimeoutBehavior.Throw;

    /// <summary>The name a policy gets when none is given.</summary>
    public const string DefaultName = "timeout";

    /// <summary>The event name under which a throwing <see cref="TimeoutOptions.OnTimeout"/> subscriber is logged.</summary>
    public const string OnTimeoutEvent = "OnTimeout";
}
