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
