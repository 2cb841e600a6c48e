namespace Steadfast;

/// <summary>Defaults and limits of <see cref="TimeoutOptions"/>, written once.</summary>
public static class TimeoutConstants
{
    /// <summary>The default <see cref="TimeoutOptions.Timeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The shortest allowed timeout: 10 ms (Polly's lower bound; shorter would measure timer resolution).</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest allowed timeout: 1 day.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>The default <see cref="TimeoutOptions.OnTimeout"/>: throw <see cref="OperationTimeoutException"/>.</summary>
    public const TimeoutBehavior DefaultBehavior = TimeoutBehavior.Throw;

    /// <summary>The name a policy gets when none is given.</summary>
    public const string DefaultName = "timeout";
}
