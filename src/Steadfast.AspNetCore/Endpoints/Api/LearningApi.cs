using System.Globalization;
using Microsoft.AspNetCore.Http;
using Steadfast.AspNetCore.Endpoints.Json;

namespace Steadfast.AspNetCore.Endpoints.Api;

/// <summary><c>GET failures</c>, <c>GET analytics</c>, <c>GET patterns/{operation}</c>.</summary>
internal sealed class LearningApi(SteadfastSources sources)
{
    /// <summary>How many failures <c>GET failures</c> returns without <c>limit</c>.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest <c>limit</c>.</summary>
    public const int MaxLimit = 500;

    public async Task<IResult> FailuresAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var operation = Optional(query["operation"]);
        var errorType = Optional(query["errorType"]);
        var limit = DefaultLimit;
        if (Optional(query["limit"]) is { } rawLimit
            && (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Problems.Invalid("limit", $"limit must be a whole number between 1 and {MaxLimit}; was '{rawLimit}'.");
        }

        DateTimeOffset? since = null;
        if (Optional(query["since"]) is { } rawSince)
        {
            if (!DateTimeOffset.TryParse(rawSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Problems.Invalid("since", $"since must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z; was '{rawSince}'.");
            }

            since = parsed;
        }

        if (sources.Analyzer is not { } analyzer)
        {
            return TypedResults.Json<IReadOnlyList<FailureView>>([], SteadfastWebJsonContext.Default.IReadOnlyListFailureView);
        }

        try
        {
            // Failures are written behind the calls: flush first, so a failure recorded a moment ago is in the answer.
            await analyzer.FlushAsync(cancellationToken).ConfigureAwait(false);
            var failures = await analyzer.Store.GetFailuresAsync(operation, errorType, since, limit, cancellationToken).ConfigureAwait(false);
            return TypedResults.Json<IReadOnlyList<FailureView>>([.. failures.Select(FailureView.Of)], SteadfastWebJsonContext.Default.IReadOnlyListFailureView);
        }
        catch (StoreException ex)
        {
            return Problems.Unavailable("The failure store", ex);
        }
    }

    public async Task<IResult> AnalyticsAsync(CancellationToken cancellationToken)
    {
        if (sources.Analyzer is not { } analyzer)
        {
            return TypedResults.Json(new AnalyticsView(0, 0, [], [], [], []), SteadfastWebJsonContext.Default.AnalyticsView);
        }

        var analytics = await analyzer.GetAnalyticsAsync(cancellationToken).ConfigureAwait(false);
        var operations = analyzer.GetAllStrategyStatistics()
            .GroupBy(s => s.Operation, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(OperationOf)
            .ToArray();
        return TypedResults.Json(
            new AnalyticsView(
                analytics.TotalFailures,
                analytics.BlacklistedStrategies,
                analytics.MostCommonErrors,
                analytics.ProblematicOperations,
                analytics.DailyTrends,
                operations),
            SteadfastWebJsonContext.Default.AnalyticsView);
    }

    public IResult Pattern(string operation)
    {
        operation = RouteName.Decode(operation);
        var analysis = sources.Analyzer?.AnalyzePattern(operation) ?? FailureAnalysis.Empty;
        return TypedResults.Json(
            new PatternView(
                operation,
                analysis.Pattern,
                new RootCauseView(analysis.RootCause.Category, Redact.Text(analysis.RootCause.Description) ?? string.Empty),
                [.. analysis.Recommendations.Select(r => Redact.Text(r) ?? string.Empty)],
                analysis.Confidence,
                analysis.FailureCount),
            SteadfastWebJsonContext.Default.PatternView);
    }

    private static OperationView OperationOf(IGrouping<string, StrategyStatistics> strategies)
    {
        var successes = strategies.Sum(s => s.Successes);
        var failures = strategies.Sum(s => s.Failures);
        var attempts = successes + failures;
        return new OperationView(
            strategies.Key,
            successes,
            failures,
            attempts == 0 ? 0 : (double)successes / attempts,
            successes == 0 ? null : (double)attempts / successes,
            [.. strategies.OrderBy(s => s.StrategyName, StringComparer.Ordinal).Select(s => new StrategyView(
                s.StrategyName, s.Successes, s.Failures, s.SuccessRate, s.RecentSuccessRate, s.MeanLatency.TotalMilliseconds))]);
    }

    private static string? Optional(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrWhiteSpace(value.ToString()) ? null : value.ToString().Trim();
}
