namespace Steadfast;

/// <summary>What the stored failures say overall: <see cref="FailureAnalyzer.GetAnalyticsAsync"/> and <see cref="IFailureStore.GetFailureAnalyticsAsync"/>.</summary>
public sealed record FailureAnalytics
{
    /// <summary>How many top entries <see cref="MostCommonErrors"/> and <see cref="ProblematicOperations"/> hold at most.</summary>
    public const int TopCount = 10;

    /// <summary>How many days <see cref="DailyTrends"/> covers, today (UTC) included.</summary>
    public const int TrendDays = 7;

    /// <summary>Every failure stored.</summary>
    public long TotalFailures { get; init; }

    /// <summary>Blacklist entries in force.</summary>
    public int BlacklistedStrategies { get; init; }

    /// <summary>The most frequent error types, most frequent first (at most <see cref="TopCount"/>).</summary>
    public IReadOnlyList<ErrorTypeCount> MostCommonErrors { get; init; } = [];

    /// <summary>The operations with the most failures, most first (at most <see cref="TopCount"/>).</summary>
    public IReadOnlyList<OperationFailureCount> ProblematicOperations { get; init; } = [];

    /// <summary>Failures per UTC day for the last <see cref="TrendDays"/> days, oldest first, days without failures included.</summary>
    public IReadOnlyList<DailyFailureCount> DailyTrends { get; init; } = [];
}

/// <summary>How often one error type occurred.</summary>
/// <param name="ErrorType">The exception type name.</param>
/// <param name="Count">How many failures had it.</param>
public sealed record ErrorTypeCount(string ErrorType, long Count);

/// <summary>How often one operation failed.</summary>
/// <param name="Operation">The operation.</param>
/// <param name="FailureCount">How many failures it had.</param>
public sealed record OperationFailureCount(string Operation, long FailureCount);

/// <summary>Failures on one UTC day.</summary>
/// <param name="Date">The day (UTC).</param>
/// <param name="Count">Failures recorded that day.</param>
public sealed record DailyFailureCount(DateOnly Date, long Count);
