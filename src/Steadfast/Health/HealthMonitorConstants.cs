namespace Steadfast;

/// <summary>The defaults and limits of <see cref="HealthMonitorOptions"/>.</summary>
internal static class HealthMonitorConstants
{
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);
    public const int DefaultUnhealthyAfter = 3;
    public const int DefaultHealthyAfter = 2;
    public const int MaxConsecutive = 1000;
}
