using System.Globalization;

namespace Steadfast;

/// <summary>
/// The five patterns, defined exactly as docs/learning.md states them, as pure functions of a
/// <see cref="PatternInput"/>: no clock, no lock, no state, so each rule is tested on both sides.
/// </summary>
internal static class PatternDetector
{
    /// <summary>
    /// Analyses a given list as one operation's recent failures: no window, one unbroken run (no successes are known),
    /// the only evidence about services.
    /// </summary>
    public static FailureAnalysis AnalyzeList(IReadOnlyList<Failure> failures, FailureAnalyzerOptions options)
    {
        if (failures.Count == 0)
        {
            return FailureAnalysis.Empty;
        }

        var sorted = failures.OrderBy(f => f.Timestamp).ToList();
        var operations = sorted.Select(f => f.Operation).Distinct(StringComparer.Ordinal).ToList();
        var name = operations.Count == 1 ? operations[0] : string.Join("', '", operations);
        var last = sorted[^1].Timestamp;

        // The window is anchored at the newest failure so an old list is judged as it was when it happened.
        var input = new PatternInput(name, sorted, [.. sorted.Select(f => new RecordedOutcome(f.Timestamp, f))], sorted, sorted, last);
        var unbounded = options.Clone();
        unbounded.PatternWindow = TimeSpan.MaxValue;
        return Analyze(input, unbounded);
    }

    public static FailureAnalysis Analyze(PatternInput input, FailureAnalyzerOptions options)
    {
        var window = input.Window;
        if (window.Count == 0)
        {
            return FailureAnalysis.Empty;
        }

        var n = options.PatternThreshold;
        var match = Permanent(input, options)
            ?? UnstableService(input, options)
            ?? Intermittent(input, options)
            ?? Cascading(input, options)
            ?? Repeating(input, options);

        var evidence = match?.Evidence ?? window;
        var rootCause = RootCauseOf(evidence, window.Count);
        var recommendations = new List<string>(2);
        if (match is not null)
        {
            recommendations.Add(match.Recommendation);
        }

        var advice = CategoryAdvice(input.Operation, evidence, rootCause.Category);
        if (advice is not null && (match is not null || window.Count >= n))
        {
            recommendations.Add(advice);
        }

        double confidence = 0;
        if (match is not null)
        {
            // Grows with the share of recent failures the pattern explains and with how far the evidence exceeds N.
            var share = Math.Min(1.0, (double)match.Evidence.Count / window.Count);
            var strength = Math.Min(1.0, match.Evidence.Count / (2.0 * n));
            confidence = Math.Round(0.5 + (0.5 * share * strength), 2);
        }

        return new FailureAnalysis
        {
            Pattern = match?.Pattern ?? FailurePattern.None,
            RootCause = rootCause,
            Recommendations = recommendations,
            Confidence = confidence,
            FailureCount = window.Count,
        };
    }

    /// <summary>
    /// (a) The trailing run of failures inside the window (no success between or after them) holds at least N
    /// failures and every one of them is non-transient; or (b) the trailing run ends with at least two failures of
    /// the same signature whose first and last are at least <see cref="FailureAnalyzerOptions.PermanentSpan"/> apart.
    /// </summary>
    internal static Match? Permanent(PatternInput input, FailureAnalyzerOptions options)
    {
        var run = input.TrailingRun;
        if (run.Count == 0)
        {
            return null;
        }

        var since = options.PatternWindow >= input.Now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : input.Now - options.PatternWindow;
        var inWindow = run.Where(f => f.Timestamp >= since).ToList();
        if (inWindow.Count >= options.PatternThreshold && inWindow.TrueForAll(f => !ErrorClassifier.IsTransient(f.Category)))
        {
            var last = inWindow[^1];
            return new Match(
                FailurePattern.Permanent,
                inWindow,
                $"{Name(StrategyOf(inWindow))} failed {inWindow.Count} times in a row on '{input.Operation}' with non-transient errors ({Describe(last)}); retrying will not help: rethink the strategy (credentials, the request or the resource it names).");
        }

        var signature = ErrorSignature.Of(run[^1]);
        var first = run.Count - 1;
        while (first > 0 && ErrorSignature.Of(run[first - 1]) == signature)
        {
            first--;
        }

        var same = run.Skip(first).ToList();
        var span = same[^1].Timestamp - same[0].Timestamp;
        if (same.Count >= 2 && span >= options.PermanentSpan)
        {
            return new Match(
                FailurePattern.Permanent,
                same,
                $"'{input.Operation}' has failed with the same error ({Describe(same[^1])}) for {Span(span)} without a single success ({same.Count} failures, {Name(StrategyOf(same))}); retrying will not help: rethink the strategy.");
        }

        return null;
    }

    /// <summary>
    /// A service (context <c>service</c>, <c>provider</c> or <c>host</c>, else the strategy) named by a failure of this
    /// operation in the window has failed with at least <see cref="FailureAnalyzerOptions.UnstableServiceMinErrorTypes"/>
    /// distinct error types in the window, counting the failures of every operation. Failures naming no service count toward none.
    /// </summary>
    internal static Match? UnstableService(PatternInput input, FailureAnalyzerOptions options)
    {
        Match? best = null;
        var bestTypes = 0;
        foreach (var service in input.Window.Select(f => f.Service).Where(s => s is not null).Distinct(StringComparer.Ordinal))
        {
            var failures = input.ServiceFailures.Where(f => f.Service == service).ToList();
            var types = failures.Select(f => f.ErrorType).Distinct(StringComparer.Ordinal).ToList();
            if (types.Count >= options.UnstableServiceMinErrorTypes && types.Count > bestTypes)
            {
                bestTypes = types.Count;
                var operations = failures.Select(f => f.Operation).Distinct(StringComparer.Ordinal).Count();
                best = new Match(
                    FailurePattern.UnstableService,
                    failures,
                    $"Service '{service}' failed {failures.Count} times with {types.Count} different error types ({string.Join(", ", types)}) in {Span(SpanOf(failures))} across {operations} operation(s); switch '{input.Operation}' to a fallback provider.");
            }
        }

        return best;
    }

    /// <summary>
    /// Among the operation's outcomes in the window: at least N failures, at least
    /// <see cref="FailureAnalyzerOptions.IntermittentMinFlips"/> success-to-failure flips, and a failure rate between
    /// <see cref="FailureAnalyzerOptions.IntermittentMinFailureRate"/> and <see cref="FailureAnalyzerOptions.IntermittentMaxFailureRate"/> (inclusive).
    /// </summary>
    internal static Match? Intermittent(PatternInput input, FailureAnalyzerOptions options)
    {
        var outcomes = input.Outcomes;
        var failures = outcomes.Where(o => !o.IsSuccess).Select(o => o.Failure!).ToList();
        if (failures.Count < options.PatternThreshold)
        {
            return null;
        }

        var flips = 0;
        for (var i = 1; i < outcomes.Count; i++)
        {
            if (outcomes[i - 1].IsSuccess && !outcomes[i].IsSuccess)
            {
                flips++;
            }
        }

        var rate = (double)failures.Count / outcomes.Count;
        if (flips < options.IntermittentMinFlips || rate < options.IntermittentMinFailureRate || rate > options.IntermittentMaxFailureRate)
        {
            return null;
        }

        return new Match(
            FailurePattern.Intermittent,
            failures,
            string.Create(CultureInfo.InvariantCulture, $"'{input.Operation}' alternates between success and failure ({flips} success-to-failure flips, {failures.Count} of the last {outcomes.Count} calls failed, {rate:P0}); put a circuit breaker in front of {Name(StrategyOf(failures))} and retry with jittered backoff."));
    }

    /// <summary>
    /// Some span of at most <see cref="FailureAnalyzerOptions.CascadeWindow"/> holds at least N of the window's failures
    /// with at least two distinct error types.
    /// </summary>
    internal static Match? Cascading(PatternInput input, FailureAnalyzerOptions options)
    {
        var w = input.Window;
        var types = new Dictionary<string, int>(StringComparer.Ordinal);
        var left = 0;
        (int Left, int Right)? best = null;
        for (var right = 0; right < w.Count; right++)
        {
            types[w[right].ErrorType] = types.GetValueOrDefault(w[right].ErrorType) + 1;
            while (w[right].Timestamp - w[left].Timestamp > options.CascadeWindow)
            {
                var t = w[left].ErrorType;
                if (--types[t] == 0)
                {
                    types.Remove(t);
                }

                left++;
            }

            var count = right - left + 1;
            if (count >= options.PatternThreshold && types.Count >= 2 && (best is null || count > best.Value.Right - best.Value.Left + 1))
            {
                best = (left, right);
            }
        }

        if (best is not { } b)
        {
            return null;
        }

        var cluster = w.Skip(b.Left).Take(b.Right - b.Left + 1).ToList();
        var distinct = cluster.Select(f => f.ErrorType).Distinct(StringComparer.Ordinal).ToList();
        return new Match(
            FailurePattern.Cascading,
            cluster,
            $"'{input.Operation}' failed {cluster.Count} times within {Span(SpanOf(cluster))} with {distinct.Count} different errors ({string.Join(", ", distinct)}); check the dependencies of {Name(StrategyOf(cluster))}: one failing dependency is probably dragging the others along.");
    }

    /// <summary>At least N failures in the window share one error signature (type + message with numbers, hex ids and GUIDs normalised).</summary>
    internal static Match? Repeating(PatternInput input, FailureAnalyzerOptions options)
    {
        var top = input.Window.GroupBy(ErrorSignature.Of, StringComparer.Ordinal).MaxBy(g => g.Count());
        if (top is null || top.Count() < options.PatternThreshold)
        {
            return null;
        }

        var failures = top.ToList();
        return new Match(
            FailurePattern.Repeating,
            failures,
            $"{Name(StrategyOf(failures))} failed {failures.Count} times in {Span(SpanOf(failures))} on '{input.Operation}' with the same error ({Describe(failures[^1])}); try an alternative approach instead of repeating it.");
    }

    internal static RootCause RootCauseOf(IReadOnlyList<Failure> evidence, int total)
    {
        if (evidence.Count == 0)
        {
            return FailureAnalysis.Empty.RootCause;
        }

        var group = evidence.GroupBy(f => f.Category).OrderByDescending(g => g.Count()).ThenByDescending(g => g.Max(f => f.Timestamp)).First();
        var example = group.Last();
        var status = StatusOf(group);
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"{group.Count()} of {total} recent failures are {CategoryText(group.Key)}{(status is { } s ? $" (HTTP {s})" : string.Empty)}; latest: {example.ErrorType}: {example.ErrorMessage}");

        // Failures handed in or loaded from a store may not have been redacted; the analysis is shown and logged.
        return new RootCause(group.Key, SecretRedactor.RedactText(description));
    }

    internal static string? CategoryAdvice(string operation, IReadOnlyList<Failure> evidence, ErrorCategory category)
    {
        var ofCategory = evidence.Where(f => f.Category == category).ToList();
        if (ofCategory.Count == 0)
        {
            return null;
        }

        var status = StatusOf(ofCategory);
        var what = string.Create(
            CultureInfo.InvariantCulture,
            $"{Name(StrategyOf(ofCategory))} failed {ofCategory.Count} times in {Span(SpanOf(ofCategory))} on '{operation}' with {(status is { } s ? $"HTTP {s}" : CategoryText(category))}");
        var todo = category switch
        {
            ErrorCategory.RateLimited => "honour Retry-After or lower concurrency",
            ErrorCategory.Timeout => "raise the timeout if the work is legitimately slow, or race a faster alternative",
            ErrorCategory.Network => $"check connectivity and DNS to {ServiceText(ofCategory)}; retry with exponential backoff",
            ErrorCategory.Authentication => "check the credentials and their permissions; retrying will not help",
            ErrorCategory.NotFound => "check the identifier or URL being asked for; retrying will not help",
            ErrorCategory.InvalidInput => "fix the request (arguments, payload, validation); retrying will not help",
            ErrorCategory.ServerError => $"{ServiceText(ofCategory)} is failing on its side; retry with backoff and keep a fallback ready",
            ErrorCategory.ResourceExhausted => "free the resource (memory, disk, quota) or raise the limit",
            ErrorCategory.CircuitOpen => "the circuit is open: wait for its cooldown or use a fallback instead of calling again",
            _ => "inspect the error and classify it (ServiceException with a status code) so Steadfast can act on it",
        };
        return what + "; " + todo + ".";
    }

    private static int? StatusOf(IEnumerable<Failure> failures) =>
        failures.Where(f => f.StatusCode is not null).GroupBy(f => f.StatusCode!.Value).OrderByDescending(g => g.Count()).Select(g => (int?)g.Key).FirstOrDefault();

    private static string? StrategyOf(IEnumerable<Failure> failures) =>
        failures.Where(f => f.Strategy is not null).GroupBy(f => f.Strategy, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();

    private static string Name(string? strategy) => strategy is null ? "the operation (no strategy named)" : $"'{strategy}'";

    private static string ServiceText(IEnumerable<Failure> failures) =>
        failures.Select(f => f.Service).FirstOrDefault(s => s is not null) is { } s ? $"'{s}'" : "the service";

    private static TimeSpan SpanOf(List<Failure> failures) =>
        failures.Count == 0 ? TimeSpan.Zero : failures.Max(f => f.Timestamp) - failures.Min(f => f.Timestamp);

    private static string Describe(Failure f) =>
        f.StatusCode is { } s ? string.Create(CultureInfo.InvariantCulture, $"{f.ErrorType}, HTTP {s}") : $"{f.ErrorType}, {CategoryText(f.Category)}";

    internal static string Span(TimeSpan span) => span.TotalSeconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Round(span.TotalMinutes)} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h"),
    };

    private static string CategoryText(ErrorCategory c) => c switch
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

    internal sealed record Match(FailurePattern Pattern, IReadOnlyList<Failure> Evidence, string Recommendation);
}
