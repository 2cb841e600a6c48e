namespace Steadfast;

/// <summary>
/// Turns counts per (UTC day, operation, error type) into <see cref="FailureAnalytics"/>, so every store and
/// the analyzer's in-memory fallback rank and fill days the same way.
/// </summary>
internal sealed class FailureAnalyticsBuilder
{
    private readonly Dictionary<string, long> _byErrorType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byOperation = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _byDay = [];
    private long _total;

    /// <summary>Days since 1970-01-01 (UTC), the unit failures are bucketed by.</summary>
    public static long DayNumber(DateTimeOffset t) => (long)Math.Floor(t.ToUnixTimeMilliseconds() / 86_400_000d);

    public void Add(long dayNumber, string operation, string errorType, long count)
    {
        _total += count;
        _byErrorType[errorType] = _byErrorType.GetValueOrDefault(errorType) + count;
        _byOperation[operation] = _byOperation.GetValueOrDefault(operation) + count;
        _byDay[dayNumber] = _byDay.GetValueOrDefault(dayNumber) + count;
    }

    public void AddErrorType(string errorType, long count) => _byErrorType[errorType] = _byErrorType.GetValueOrDefault(errorType) + count;

    public void AddOperation(string operation, long count) => _byOperation[operation] = _byOperation.GetValueOrDefault(operation) + count;

    public void AddDay(long dayNumber, long count) => _byDay[dayNumber] = _byDay.GetValueOrDefault(dayNumber) + count;

    public void AddTotal(long count) => _total += count;

    public FailureAnalytics Build(DateTimeOffset now, int blacklisted)
    {
        var today = DayNumber(now);
        var trends = new DailyFailureCount[FailureAnalytics.TrendDays];
        for (var i = 0; i < trends.Length; i++)
        {
            var day = today - (FailureAnalytics.TrendDays - 1) + i;
            trends[i] = new DailyFailureCount(DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(day)), _byDay.GetValueOrDefault(day));
        }

        return new FailureAnalytics
        {
            TotalFailures = _total,
            BlacklistedStrategies = blacklisted,
            MostCommonErrors = [.. _byErrorType.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(FailureAnalytics.TopCount).Select(p => new ErrorTypeCount(p.Key, p.Value))],
            ProblematicOperations = [.. _byOperation.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(FailureAnalytics.TopCount).Select(p => new OperationFailureCount(p.Key, p.Value))],
            DailyTrends = trends,
        };
    }
}
