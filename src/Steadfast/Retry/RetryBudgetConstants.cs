namespace Steadfast;

/// <summary>Defaults and limits of <see cref="RetryBudgetOptions"/>, written once (internal: a public <c>const</c> would compile into callers).</summary>
/// <remarks>The defaults are Finagle's (<c>RetryBudget()</c>: 20 % of calls on top of 10 retries a second over 10 s), which Linkerd and tower kept.</remarks>
internal static class RetryBudgetConstants
{
    /// <summary>The default <see cref="RetryBudgetOptions.Ratio"/>: one retry for every five calls.</summary>
    public const double DefaultRatio = 0.2;

    /// <summary>The largest allowed <see cref="RetryBudgetOptions.Ratio"/> (Finagle's bound).</summary>
    public const double MaxRatio = 1000.0;

    /// <summary>The default <see cref="RetryBudgetOptions.MinRetriesPerSecond"/>.</summary>
    public const int DefaultMinRetriesPerSecond = 10;

    /// <summary>The largest allowed <see cref="RetryBudgetOptions.MinRetriesPerSecond"/>.</summary>
    public const int MaxMinRetriesPerSecond = 1_000_000;

    /// <summary>The default <see cref="RetryBudgetOptions.Window"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    /// <summary>The shortest allowed <see cref="RetryBudgetOptions.Window"/>: 1 second (Finagle's bound).</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(1);

    /// <summary>The longest allowed <see cref="RetryBudgetOptions.Window"/>: 60 seconds (Finagle's bound; older evidence says little about now).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many slices the window is cut into. Counts leave the window a slice at a time, so an event counts for
    /// between 90 % and 100 % of <see cref="RetryBudgetOptions.Window"/>; ten slices keep that error small and the
    /// ring (two arrays of ten) tiny.
    /// </summary>
    public const int Slices = 10;

    /// <summary>The name a budget gets when none is given.</summary>
    public const string DefaultName = "retry-budget";
}
