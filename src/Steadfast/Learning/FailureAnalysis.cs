namespace Steadfast;

/// <summary>What <see cref="FailureAnalyzer.AnalyzePattern(string)"/> concluded about an operation's recent failures.</summary>
public sealed record FailureAnalysis
{
    /// <summary>An analysis of nothing: no failures, no pattern.</summary>
    public static FailureAnalysis Empty { get; } = new()
    {
        Pattern = FailurePattern.None,
        RootCause = new RootCause(ErrorCategory.Unknown, "No failures recorded."),
    };

    /// <summary>The pattern detected; <see cref="FailurePattern.None"/> when none.</summary>
    public required FailurePattern Pattern { get; init; }

    /// <summary>The most likely root cause.</summary>
    public required RootCause RootCause { get; init; }

    /// <summary>Actionable recommendations, most important first.</summary>
    public IReadOnlyList<string> Recommendations { get; init; } = [];

    /// <summary>How sure the analysis is, from 0 to 1.</summary>
    public double Confidence { get; init; }

    /// <summary>How many failures were analysed.</summary>
    public int FailureCount { get; init; }
}
