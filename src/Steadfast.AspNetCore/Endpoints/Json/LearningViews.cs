namespace Steadfast.AspNetCore.Endpoints.Json;

/// <summary>One blacklist entry; <see cref="Reason"/> redacted.</summary>
internal sealed record BlacklistView(
    string Strategy,
    string Operation,
    string Reason,
    int FailureCount,
    DateTimeOffset AddedAt,
    DateTimeOffset? ExpiresAt,
    bool IsAutomatic,
    int TimesBlacklisted)
{
    public static BlacklistView Of(BlacklistEntry entry) => new(
        entry.StrategyName, entry.Operation, Redact.Text(entry.Reason) ?? string.Empty, entry.FailureCount, entry.AddedAt,
        entry.ExpiresAt, entry.IsAutomatic, entry.TimesBlacklisted);
}

/// <summary>The body of <c>POST blacklist</c>; <see cref="Expires"/> absent means until lifted.</summary>
internal sealed record BlacklistRequest(string? Strategy, string? Operation, string? Reason, DateTimeOffset? Expires);

/// <summary>One recorded failure; the message and the context redacted.</summary>
internal sealed record FailureView(
    long Id,
    DateTimeOffset Timestamp,
    string Operation,
    string? Strategy,
    string ErrorType,
    string ErrorMessage,
    ErrorCategory Category,
    int? StatusCode,
    string? Service,
    IReadOnlyDictionary<string, string?> Context)
{
    public static FailureView Of(Failure failure) => new(
        failure.Id, failure.Timestamp, failure.Operation, failure.Strategy, failure.ErrorType,
        Redact.Text(failure.ErrorMessage) ?? string.Empty, failure.Category, failure.StatusCode, failure.Service,
        Redact.Context(failure.Context));
}

/// <summary>What the learning layer says overall and per operation.</summary>
internal sealed record AnalyticsView(
    long TotalFailures,
    int BlacklistedStrategies,
    IReadOnlyList<ErrorTypeCount> MostCommonErrors,
    IReadOnlyList<OperationFailureCount> ProblematicOperations,
    IReadOnlyList<DailyFailureCount> DailyTrends,
    IReadOnlyList<OperationView> Operations);

/// <summary>One operation's attempts over all its strategies; attempts per success is <see langword="null"/> before the first success.</summary>
internal sealed record OperationView(
    string Operation,
    long Successes,
    long Failures,
    double SuccessRate,
    double? AttemptsPerSuccess,
    IReadOnlyList<StrategyView> Strategies);

/// <summary>One strategy of one operation.</summary>
internal sealed record StrategyView(string Strategy, long Successes, long Failures, double SuccessRate, double RecentSuccessRate, double MeanLatencyMs);

/// <summary>The pattern analysis of one operation; texts redacted.</summary>
internal sealed record PatternView(
    string Operation,
    FailurePattern Pattern,
    RootCauseView RootCause,
    IReadOnlyList<string> Recommendations,
    double Confidence,
    int FailureCount);

/// <summary>A root cause.</summary>
internal sealed record RootCauseView(ErrorCategory Category, string Description);

/// <summary>The <c>blacklist</c> event: the blacklist changed; it carries the whole list in force.</summary>
internal sealed record BlacklistEvent(IReadOnlyList<BlacklistView> Entries, DateTimeOffset At);
