using System.Globalization;

namespace Steadfast;

/// <summary>
/// How long failure records may be kept by a cleanup, one rule for <see cref="FailureAnalyzer.CleanupOldFailuresAsync"/>,
/// every <see cref="IFailureStore.CleanupOldFailuresAsync"/> and <c>steadfast cleanup --days</c>: from
/// <see cref="MinDays"/> to <see cref="MaxDays"/> days. A cleanup always keeps the last day, so a typo such as
/// <c>0</c> never deletes everything; <see cref="FailureAnalyzer.ClearAllAsync"/> is the way to forget everything.
/// </summary>
public static class FailureRetention
{
    /// <summary>The fewest days a cleanup keeps: 1.</summary>
    public const int MinDays = 1;

    /// <summary>The most days a cleanup may be asked to keep: 36,500 (a century).</summary>
    public const int MaxDays = 36_500;

    /// <summary>Throws unless <paramref name="days"/> is within <see cref="MinDays"/> and <see cref="MaxDays"/>.</summary>
    /// <param name="days">The days to keep.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is out of range.</exception>
    public static void ThrowIfOutOfRange(int days, string paramName = "days")
    {
        if (days is < MinDays or > MaxDays)
        {
            throw new ArgumentOutOfRangeException(paramName, days, string.Create(CultureInfo.InvariantCulture,
                $"{paramName} must be between {MinDays} and {MaxDays}; was {days}. A cleanup keeps at least the last day; ClearAllAsync forgets everything."));
        }
    }
}
