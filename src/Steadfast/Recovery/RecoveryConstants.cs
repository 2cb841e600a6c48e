namespace Steadfast;

/// <summary>The defaults and limits of <see cref="RecoveryOptions"/>.</summary>
internal static class RecoveryConstants
{
    public const int DefaultPatternEscalationThreshold = 5;
    public static readonly TimeSpan DefaultPatternWindow = TimeSpan.FromMinutes(5);
    public const int DefaultMaxErrorHistory = 1000;
    public static readonly TimeSpan DefaultAlertThrottle = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultAnalysisInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);
    public const int MaxThreshold = 10_000;
    public const int MaxHistory = 1_000_000;
    public const int StatusRecentErrors = 50;
}
