using System.Globalization;

namespace Steadfast.Cli.Demo;

/// <summary>
/// This run's failures, analysed on their own: the pattern the analyzer sees in them, and the root cause counted exactly
/// from the attempts (so "N of M" is what it says: N failed attempts of that kind among the run's M failed attempts).
/// </summary>
/// <param name="Pattern">The pattern of this run's failures (<see cref="FailureAnalyzer.AnalyzePattern(IReadOnlyList{Failure})"/>).</param>
/// <param name="FailuresAnalysed">How many of this run's failures the pattern was read from (the analyzer keeps the most recent).</param>
/// <param name="RootCause">The most frequent kind of failure.</param>
/// <param name="OtherCauses">The other kinds, most frequent first.</param>
/// <param name="Recommendations">The analyzer's recommendations for this run's failures.</param>
internal sealed record RunAnalysis(
    FailurePattern Pattern,
    int FailuresAnalysed,
    DemoRootCause? RootCause,
    IReadOnlyList<DemoRootCause> OtherCauses,
    IReadOnlyList<string> Recommendations)
{
    /// <summary>Reads this run's failures: the pattern from the analyzer, the causes from the attempts.</summary>
    public static RunAnalysis Of(FailureAnalyzer analyzer, DemoTotals totals, DateTimeOffset startedAt)
    {
        var failures = analyzer.GetRecentFailures(DemoScenario.Operation).Where(f => f.Timestamp >= startedAt).ToList();
        var analysis = failures.Count == 0 ? FailureAnalysis.Empty : analyzer.AnalyzePattern(failures);
        var causes = totals.FailureCauses
            .GroupBy(c => c.Category)
            .Select(g => DemoRootCause.Of(g.Key, g.ToList(), totals.FailedAttempts))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Category)
            .ToList();
        return new RunAnalysis(
            analysis.Pattern,
            failures.Count,
            causes.FirstOrDefault(),
            [.. causes.Skip(1)],
            [.. analysis.Recommendations.Select(DemoFormat.LibraryText)]);
    }
}

/// <summary>One kind of failure in this run.</summary>
/// <param name="Category">The kind.</param>
/// <param name="StatusCode">The most frequent HTTP status among them, if any.</param>
/// <param name="Count">Failed attempts of this kind.</param>
/// <param name="OutOf">Failed attempts in the run.</param>
/// <param name="Strategies">The strategies that failed so, with their counts, most first.</param>
/// <param name="Description">A sentence saying all that.</param>
internal sealed record DemoRootCause(ErrorCategory Category, int? StatusCode, int Count, int OutOf, IReadOnlyDictionary<string, int> Strategies, string Description)
{
    public static DemoRootCause Of(ErrorCategory category, IReadOnlyList<FailureCause> causes, int of)
    {
        var count = causes.Sum(c => c.Count);
        var status = causes.Where(c => c.StatusCode is not null).GroupBy(c => c.StatusCode).OrderByDescending(g => g.Sum(c => c.Count)).Select(g => g.Key).FirstOrDefault();
        var strategies = causes.GroupBy(c => c.Strategy, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Count: g.Sum(c => c.Count)))
            .OrderByDescending(s => s.Count).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var from = string.Join(", ", strategies.Select(s => string.Create(CultureInfo.InvariantCulture, $"'{s.Name}' {s.Count}")));
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{count} of {of} failed attempts were {Text(category)}{(status is { } s ? $" (HTTP {s})" : string.Empty)}, from {from}");
        return new DemoRootCause(category, status, count, of, strategies.ToDictionary(s => s.Name, s => s.Count, StringComparer.Ordinal), description);
    }

    private static string Text(ErrorCategory c) => c switch
    {
        ErrorCategory.Network => "network errors",
        ErrorCategory.Timeout => "timeouts",
        ErrorCategory.RateLimited => "rate limiting",
        ErrorCategory.Authentication => "authentication errors",
        ErrorCategory.NotFound => "not-found errors",
        ErrorCategory.ServerError => "server errors",
        ErrorCategory.InvalidInput => "invalid-input errors",
        ErrorCategory.ResourceExhausted => "resource exhaustion",
        ErrorCategory.CircuitOpen => "open-circuit rejections",
        _ => "unclassified errors",
    };
}
